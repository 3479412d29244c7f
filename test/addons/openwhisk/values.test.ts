import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HelmChartSchema } from '../../../src/addons/helmchart.js';
import { openwhiskAddon } from '../../../src/addons/openwhisk/index.js';
import { OPENWHISK_COMPONENTS } from '../../../src/inventory/schema-addons-stream.js';
import { cluster, input } from '../kafka/cluster.js';
import { OpenWhiskValuesSchema } from './values-schema.js';

function values(openwhisk: unknown, facts = cluster(1, { arch: 'amd64' })) {
  const r = openwhiskAddon.render(input({ openwhisk }, facts));
  const chart = parse(r.manifests[0]!.content);
  return { r, chart, values: parse(chart.spec.valuesContent) };
}

describe('OpenWhisk chart values for k3s', () => {
  it('NodePort 31001 on the first server, the kubernetes container factory, persistence on the default class', () => {
    const { r, chart, values: v } = values({});
    expect(chart).toMatchObject({
      kind: 'HelmChart',
      metadata: { name: 'openwhisk', namespace: 'kube-system' },
      spec: { chart: 'openwhisk', repo: 'https://openwhisk.apache.org/charts', version: '1.0.0', targetNamespace: 'openwhisk', backOffLimit: 3 },
    });
    expect(HelmChartSchema.parse(chart).metadata.namespace).toBe('kube-system');
    const parsed = OpenWhiskValuesSchema.parse(v);
    expect(parsed.whisk?.ingress).toMatchObject({ type: 'NodePort', apiHostName: '10.77.4.10', apiHostPort: 31001 });
    expect(parsed.nginx?.httpsNodePort).toBe(31001);
    expect(parsed.invoker?.containerFactory?.impl).toBe('kubernetes');
    expect(parsed.k8s?.persistence).toEqual({ enabled: true, hasDefaultStorageClass: true });
    expect(r.readiness.at(-1)).toEqual({ kind: 'job', namespace: 'openwhisk', name: 'openwhisk-install-packages' });
  });

  it('one node: no affinity, no tolerations (the chart\'s single-node settings)', () => {
    const { values: v } = values({});
    expect(v.affinity).toEqual({ enabled: false });
    expect(v.toleration).toEqual({ enabled: false });
  });

  it('several nodes: roles from the openwhisk-role labels, one invoker per invoker node', () => {
    const labels: Record<string, string>[] = [{ 'openwhisk-role': 'core' }, { 'openwhisk-role': 'invoker' }, { 'openwhisk-role': 'invoker' }, {}];
    const { values: v } = values({}, cluster(4, { arch: 'amd64', labels }));
    expect(v.affinity).toEqual({ enabled: true });
    expect(v.invoker.containerFactory.kubernetes.replicaCount).toBe(2);
  });

  it('labels without an invoker (or core) node are refused: those pods would stay Pending', () => {
    const labels: Record<string, string>[] = [{ 'openwhisk-role': 'core' }, {}];
    expect(() => values({}, cluster(2, { arch: 'amd64', labels }))).toThrow(/none is labelled invoker/);
  });

  it('every component image is set from the inventory, and the images list names its key', () => {
    const { r, values: v } = values({ images: { controller: { imageName: 'me/controller', imageTag: 'arm' } } });
    for (const c of OPENWHISK_COMPONENTS) {
      let node: any = v;
      for (const k of c.path) node = node[k];
      expect(node.imageName, c.component).toBeTypeOf('string');
      expect(node.imageTag, c.component).toBeTypeOf('string');
    }
    expect(v.controller).toMatchObject({ imageName: 'me/controller', imageTag: 'arm' });
    expect(r.images.find((i) => i.component === 'controller')).toEqual({ ref: 'me/controller:arm', overrideKey: 'addons.openwhisk.images.controller', component: 'controller' });
    expect(r.images.some((i) => i.component === 'alarmprovider')).toBe(false);
  });

  it('extra chart values go over kbootstrap\'s; the schema refuses keys the chart does not have', () => {
    const { values: v } = values({ values: { controller: { jvmHeapMB: '768' }, whisk: { limits: { actionsInvokesPerminute: 120 } } } });
    expect(v.controller).toMatchObject({ jvmHeapMB: '768', imageName: 'openwhisk/controller' });
    expect(OpenWhiskValuesSchema.safeParse(v).success).toBe(true);
    expect(OpenWhiskValuesSchema.safeParse({ ...v, invoker: { ...v.invoker, containerFactory: { impl: 'podman' } } }).success).toBe(false);
    expect(OpenWhiskValuesSchema.safeParse({ ...v, controler: {} }).success).toBe(false);
    expect(OpenWhiskValuesSchema.safeParse({ ...v, nginx: { ...v.nginx, httpsNodePort: 443 } }).success).toBe(false);
  });
});
