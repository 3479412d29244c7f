// `k3s kubectl` on a stand-in server: label, taint, cordon/drain, delete, apply, jsonpath, errors.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, nodes, run, serverToken, startAgent, startServer, waitReady, type StandinNode } from './harness.js';

afterAll(cleanupAll);

describe('k3s kubectl', () => {
  let server: StandinNode & { port: number };
  const node = async (name: string) => (await nodes(server)).find((n) => n.metadata.name === name)!;

  beforeAll(async () => {
    server = await startServer('token: kubectl-secret\nnode-name: kmaster\ndisable:\n  - traefik\n');
    await startAgent(`server: https://127.0.0.1:${server.port}\ntoken: "${await serverToken(server)}"\nnode-name: knode1\n`);
    await waitReady(server, 'knode1');
  }, 30_000);

  it('labels a node, refuses to overwrite without --overwrite, removes with k-', async () => {
    expect((await server.kubectl('label', 'node', 'knode1', 'role=worker')).stdout).toBe('node/knode1 labeled\n');
    const refused = await server.kubectl('label', 'node', 'knode1', 'role=db');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("error: 'role' already has a value (worker), and --overwrite is false\n");
    expect((await server.kubectl('label', 'nodes/knode1', 'role=db', '--overwrite')).code).toBe(0);
    expect((await node('knode1')).metadata.labels['role']).toBe('db');
    expect((await server.kubectl('label', 'node', 'knode1', 'role-')).stdout).toBe('node/knode1 unlabeled\n');
    expect((await node('knode1')).metadata.labels['role']).toBeUndefined();
  });

  it('annotates a node (kbootstrap records the labels it manages this way) and removes it with k-', async () => {
    expect((await server.kubectl('annotate', 'node', 'knode1', 'kbootstrap.io/managed-labels=role,zone', '--overwrite')).stdout).toBe('node/knode1 annotated\n');
    expect((await node('knode1')).metadata.annotations['kbootstrap.io/managed-labels']).toBe('role,zone');
    await server.kubectl('annotate', 'node', 'knode1', 'kbootstrap.io/managed-labels-');
    expect((await node('knode1')).metadata.annotations['kbootstrap.io/managed-labels']).toBeUndefined();
  });

  it('taints and untaints a node', async () => {
    expect((await server.kubectl('taint', 'node', 'knode1', 'dedicated=gpu:NoSchedule')).stdout).toBe('node/knode1 tainted\n');
    expect((await node('knode1')).spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    const dup = await server.kubectl('taint', 'node', 'knode1', 'dedicated=cpu:NoSchedule');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already has dedicated taint\(s\) with same effect\(s\) and --overwrite is false/);
    expect((await server.kubectl('taint', 'node', 'knode1', 'dedicated:NoSchedule-')).stdout).toBe('node/knode1 untainted\n');
    expect((await node('knode1')).spec.taints).toBeUndefined();
    const missing = await server.kubectl('taint', 'node', 'knode1', 'dedicated-');
    expect([missing.code, missing.stderr]).toEqual([1, 'error: taint "dedicated" not found\n']);
    const bad = await server.kubectl('taint', 'node', 'knode1', 'a=b:Sometimes');
    expect([bad.code, bad.stderr]).toEqual([1, 'error: invalid taint effect: Sometimes, unsupported taint effect\n']);
  });

  it('cordons, drains and uncordons', async () => {
    expect((await server.kubectl('cordon', 'knode1')).stdout).toBe('node/knode1 cordoned\n');
    expect((await server.kubectl('get', 'nodes', 'knode1')).stdout).toMatch(/knode1\s+Ready,SchedulingDisabled\s/);
    expect((await server.kubectl('uncordon', 'knode1')).stdout).toBe('node/knode1 uncordoned\n');
    expect((await node('knode1')).spec.unschedulable).toBeUndefined();
    const drain = await server.kubectl('drain', 'knode1', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=60s');
    expect(drain.stdout).toBe('node/knode1 cordoned\nnode/knode1 drained\n');
    expect((await node('knode1')).spec.unschedulable).toBe(true);
    await server.kubectl('uncordon', 'knode1');
  });

  it('selects with -l and prints jsonpath templates', async () => {
    const r = await server.kubectl('get', 'nodes', '-l', 'node-role.kubernetes.io/control-plane=true', '-o', 'name');
    expect(r.stdout).toBe('node/kmaster\n');
    const tpl = '{range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}';
    expect((await server.kubectl('get', 'nodes', '-o', `jsonpath=${tpl}`)).stdout).toBe('kmaster=True\nknode1=True\n');
  });

  it('answers NotFound like kubectl', async () => {
    const g = await server.kubectl('get', 'node', 'ghost');
    expect([g.code, g.stderr]).toEqual([1, 'Error from server (NotFound): nodes "ghost" not found\n']);
    const d = await server.kubectl('delete', 'node', 'ghost');
    expect([d.code, d.stderr]).toEqual([1, 'Error from server (NotFound): nodes "ghost" not found\n']);
  });

  it('applies manifests (created, then unchanged) and refuses a missing namespace', async () => {
    const file = join(server.root, 'addon.yaml');
    await writeFile(
      file,
      [
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n',
        'apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata:\n  name: cert-manager\n  namespace: kube-system\n' +
          'spec:\n  chart: cert-manager\n  targetNamespace: cert-manager\n  valuesContent: |-\n    crds:\n      enabled: true\n',
      ].join('---\n'),
    );
    const first = await server.kubectl('apply', '-f', file);
    expect([first.code, first.stdout]).toEqual([0, 'namespace/cert-manager created\nhelmchart.helm.cattle.io/cert-manager created\n']);
    const second = await server.kubectl('apply', '-f', file);
    expect(second.stdout).toBe('namespace/cert-manager unchanged\nhelmchart.helm.cattle.io/cert-manager unchanged\n');
    const hc = JSON.parse((await server.kubectl('get', 'helmchart', 'cert-manager', '-n', 'kube-system', '-o', 'json')).stdout);
    expect(hc.spec.valuesContent).toBe('crds:\n  enabled: true');

    const orphan = join(server.root, 'orphan.yaml');
    await writeFile(orphan, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: nowhere\n');
    const r = await server.kubectl('apply', '-f', orphan);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error from server \(NotFound\): error when creating ".*orphan.yaml": namespaces "nowhere" not found/);
  });

  it('auto-deploys files in server/manifests and honours disable', async () => {
    const names = async (resource: string) =>
      (await server.kubectl('get', resource, '-n', 'kube-system', '-o', 'name')).stdout.trim().split('\n');
    expect(await names('deployments')).toEqual(expect.arrayContaining(['deployment.apps/coredns', 'deployment.apps/metrics-server']));
    expect(await names('helmcharts')).not.toContain('helmchart.helm.cattle.io/traefik');
    await writeFile(
      join(server.root, 'var/lib/rancher/k3s/server/manifests/extra.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: kube-system\n',
    );
    const { waitFor } = await import('./harness.js');
    await waitFor('extra.yaml applied', async () => ((await names('configmaps')).includes('configmap/extra') ? true : undefined));
  });

  it('deletes a node', async () => {
    expect((await server.kubectl('delete', 'node', 'knode1')).stdout).toBe('node "knode1" deleted\n');
    expect((await nodes(server)).map((n) => n.metadata.name)).toEqual(['kmaster']);
  });

  it('on a machine without k3s.yaml (an agent) fails like kubectl without a kubeconfig', async () => {
    const r = await run(['kubectl', 'get', 'nodes'], { K3S_STANDIN_ROOT: '/nonexistent-standin-root', KUBECONFIG: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The connection to the server localhost:8080 was refused/);
  });
});
