import { describe, expect, it } from 'vitest';
import { buildBatchCommand, parseBatchOutput } from '../../src/addons/kubectl-batch.js';
import { checkQueries, evaluateCheck } from '../../src/addons/readiness.js';
import { resourceFitWarnings } from '../../src/addons/fit.js';
import type { AddonRender } from '../../src/addons/types.js';

const ok = (o: object) => ({ code: 0, output: JSON.stringify(o) });
const notFound = { code: 1, output: 'Error from server (NotFound): deployments.apps "x" not found\n' };

describe('batched kubectl', () => {
  it('asks every query in one script and reads each answer with its exit code', () => {
    const cmd = buildBatchCommand([{ resource: 'deployment', namespace: 'a b', name: 'x' }, { resource: 'crd', name: 'y', jsonpath: '{.status}' }], 'cat /nothing');
    expect(cmd).toContain(`k3s kubectl get deployment -n 'a b' x -o json 2>"$e"\nrc=$?; [ "$rc" -eq 0 ] || cat "$e"`);
    expect(cmd).toContain("k3s kubectl get crd y -o 'jsonpath={.status}' 2>\"$e\"");
    const out = '\n@@kbootstrap-q -1\nfiles\n@@kbootstrap-q-rc -1 0\n\n@@kbootstrap-q 0\n{"a":1}\n@@kbootstrap-q-rc 0 0\n\n@@kbootstrap-q 1\nError from server (NotFound)\n@@kbootstrap-q-rc 1 1\n';
    const answers = parseBatchOutput(out);
    expect([...answers]).toEqual([[-1, { code: 0, output: 'files' }], [0, { code: 0, output: '{"a":1}' }], [1, { code: 1, output: 'Error from server (NotFound)' }]]);
  });
});

describe('readiness of what the addons install', () => {
  it('a HelmChart is ready when its helm-install Job completed, failed when the chart or the Job says so', () => {
    const c = { kind: 'helmchart', namespace: 'kube-system', name: 'cm' } as const;
    expect(checkQueries(c).map((q) => `${q.resource} ${q.name}`)).toEqual(['helmchart cm', 'job helm-install-cm']);
    expect(evaluateCheck(c, [notFound, notFound])).toMatchObject({ state: 'waiting', why: expect.stringContaining('not created yet') });
    expect(evaluateCheck(c, [ok({}), ok({ spec: { backoffLimit: 3 }, status: { failed: 2 } })])).toMatchObject({ state: 'waiting', why: 'helm-install Job 2 failed attempt(s) of 4' });
    expect(evaluateCheck(c, [ok({}), ok({ status: { conditions: [{ type: 'Complete', status: 'True' }] } })])).toEqual({ state: 'ready', object: 'HelmChart kube-system/cm' });
    expect(evaluateCheck(c, [ok({ status: { conditions: [{ type: 'Failed', status: 'True', reason: 'Error', message: 'chart not found' }] } }), notFound])).toEqual({
      state: 'failed',
      object: 'HelmChart kube-system/cm',
      reason: 'Error: chart not found',
    });
  });

  it('Deployments Available (failed past their progress deadline), CRDs Established, webhooks with endpoints, files applied', () => {
    const d = { kind: 'deployment', namespace: 'n', name: 'x' } as const;
    expect(evaluateCheck(d, [ok({ status: { conditions: [{ type: 'Available', status: 'True' }] } })]).state).toBe('ready');
    expect(evaluateCheck(d, [ok({ status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "x-1" has timed out progressing.' }] } })])).toMatchObject({ state: 'failed' });
    expect(evaluateCheck({ kind: 'crd', name: 'a.b' }, [ok({ status: { conditions: [{ type: 'Established', status: 'False' }] } })]).state).toBe('waiting');
    const w = { kind: 'webhook', namespace: 'n', service: 'wh' } as const;
    expect(evaluateCheck(w, [ok({ subsets: [{ notReadyAddresses: [{}] }] })])).toMatchObject({ state: 'waiting', why: 'no ready endpoints' });
    expect(evaluateCheck(w, [ok({ subsets: [{ addresses: [{ ip: '10.42.0.3' }] }] })]).state).toBe('ready');
    const a = { kind: 'applied', fileName: 'knative-serving-core.yaml', sha256: 'abc' } as const;
    expect(checkQueries(a)).toEqual([{ resource: 'addon', namespace: 'kube-system', name: 'knative-serving-core' }]);
    expect(evaluateCheck(a, [ok({ spec: { checksum: 'old' } })])).toMatchObject({ state: 'waiting', object: 'Addon kube-system/knative-serving-core' });
    expect(evaluateCheck(a, [ok({ spec: { checksum: 'abc' } })]).state).toBe('ready');
  });
});

describe('resource fit', () => {
  const render = (memoryMiB: number, replicas = 1): AddonRender => ({ name: 'kafka', version: '1', manifests: [], assets: [], steps: [], readiness: [], images: [], footprint: [{ memoryMiB, cpuMilli: 100, replicas }], notes: [] });
  const pi = (name: string, role: 'server' | 'agent' = 'agent') => ({ name, role, board: 'rpi4', memoryMiB: 3796 });

  it('says nothing when the addons fit 4 x Pi 4 with 4 GB', () => {
    expect(resourceFitWarnings([render(1500)], [pi('kmaster', 'server'), pi('a'), pi('b'), pi('c')])).toEqual([]);
  });

  it('warns when the requests exceed what the nodes have left, and when one pod is larger than a node', () => {
    const w = resourceFitWarnings([render(3500), render(2000, 4)], [pi('kmaster', 'server'), pi('a')]);
    expect(w).toEqual([
      'the addons request 11500 MiB of memory, but the 2 node(s) have about 6056 MiB left after the OS and k3s: pods will stay Pending',
      'rpi4 with 4 GB: one kafka pod requests 3500 MiB, more than such a node has free (~2772 MiB)',
    ]);
  });

  it('leaves out nodes whose memory is unknown', () => {
    expect(resourceFitWarnings([render(9000)], [{ name: 'x', role: 'agent', board: 'rpi4', memoryMiB: 0 }])).toEqual([]);
  });
});
