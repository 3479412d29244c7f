import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kafkaAddon } from '../../../src/addons/kafka/index.js';
import { UserError } from '../../../src/errors.js';
import { cluster, input } from './cluster.js';
import { KafkaNodePoolSchema, KafkaSchema } from './strimzi-schema.js';

function docs(content: string): Record<string, any>[] {
  return parseAllDocuments(content).map((d) => d.toJS());
}

function rendered(kafka: unknown, facts = cluster(4)) {
  const r = kafkaAddon.render(input({ kafka }, facts));
  const byFile = Object.fromEntries(r.manifests.map((m) => [m.fileName, docs(m.content)]));
  return { r, byFile };
}

describe('Strimzi Kafka on a Pi cluster', () => {
  it('by default: one dual-role KRaft node, 512 MiB heap, replication 1, ephemeral; valid kafka.strimzi.io/v1', () => {
    const { r, byFile } = rendered({});
    expect(r.manifests.map((m) => m.fileName)).toEqual(['kafka-operator.yaml', 'kafka-cluster.yaml']);
    const [pool, kafka] = byFile['kafka-cluster.yaml']!;
    expect(KafkaNodePoolSchema.parse(pool).spec).toMatchObject({
      replicas: 1,
      roles: ['controller', 'broker'],
      storage: { type: 'ephemeral', sizeLimit: '10Gi' },
      jvmOptions: { '-Xms': '512m', '-Xmx': '512m' },
      resources: { requests: { memory: '1024Mi' }, limits: { memory: '1024Mi' } },
    });
    expect(pool!.spec.template).toBeUndefined();
    const k = KafkaSchema.parse(kafka);
    expect(k.spec.kafka.version).toBe('4.3.1');
    expect(k.spec.kafka.config).toMatchObject({ 'default.replication.factor': 1, 'min.insync.replicas': 1, 'offsets.topic.replication.factor': 1 });
    expect(pool!.metadata.labels['strimzi.io/cluster']).toBe(k.metadata.name);
  });

  it('the operator is a pinned OCI HelmChart in kube-system with a small backOffLimit', () => {
    const { byFile } = rendered({});
    const [chart] = byFile['kafka-operator.yaml']!;
    expect(chart).toMatchObject({
      apiVersion: 'helm.cattle.io/v1',
      kind: 'HelmChart',
      metadata: { name: 'strimzi-kafka-operator', namespace: 'kube-system' },
      spec: { chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator', version: '1.2.0', targetNamespace: 'kafka', backOffLimit: 3 },
    });
    expect(chart!.spec.valuesContent).toContain('memory: 384Mi');
  });

  it('three nodes when asked on four Pis: replication 3, min.insync 2, one broker per machine', () => {
    const { byFile } = rendered({ replicas: 3 });
    const [pool, kafka] = byFile['kafka-cluster.yaml']!;
    expect(KafkaNodePoolSchema.parse(pool).spec.replicas).toBe(3);
    expect(KafkaSchema.parse(kafka).spec.kafka.config).toMatchObject({ 'default.replication.factor': 3, 'min.insync.replicas': 2, 'transaction.state.log.min.isr': 2 });
    const anti = pool!.spec.template.pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    expect(anti.topologyKey).toBe('kubernetes.io/hostname');
  });

  it('two nodes: replication 2, min.insync 1 so a topic can be written with one node down', () => {
    const [, kafka] = rendered({ replicas: 2 }).byFile['kafka-cluster.yaml']!;
    expect(kafka!.spec.kafka.config).toMatchObject({ 'default.replication.factor': 2, 'min.insync.replicas': 1 });
  });

  it('refuses more Kafka nodes than machines, or than machines that can hold one', () => {
    expect(() => rendered({ replicas: 3 }, cluster(2))).toThrow(/replicas is 3, but the cluster has 2 node/);
    expect(() => rendered({ replicas: 3, heapMiB: 3072 })).toThrow(UserError);
    expect(() => rendered({ replicas: 3, heapMiB: 3072 })).toThrow(/only 0 node\(s\) have that much/);
  });

  it('a bigger heap by default on 8 GB nodes', () => {
    const [pool] = rendered({}, cluster(3, { memoryMiB: 7800 })).byFile['kafka-cluster.yaml']!;
    expect(pool!.spec.jvmOptions['-Xmx']).toBe('1024m');
  });

  it('persistent storage: a claim on local-path', () => {
    const [pool] = rendered({ storage: { type: 'persistent', size: '20Gi' } }).byFile['kafka-cluster.yaml']!;
    expect(KafkaNodePoolSchema.parse(pool).spec.storage).toEqual({ type: 'persistent-claim', size: '20Gi', class: 'local-path', deleteClaim: false });
  });

  it('the schemas refuse fields v1 does not have and keys Strimzi manages', () => {
    const [pool, kafka] = rendered({}).byFile['kafka-cluster.yaml']!;
    expect(KafkaSchema.safeParse({ ...kafka, spec: { ...kafka!.spec, zookeeper: { replicas: 1 } } }).success).toBe(false);
    expect(KafkaSchema.safeParse({ ...kafka, spec: { ...kafka!.spec, kafka: { ...kafka!.spec.kafka, replicas: 1 } } }).success).toBe(false);
    expect(KafkaSchema.safeParse({ ...kafka, spec: { ...kafka!.spec, kafka: { ...kafka!.spec.kafka, config: { 'process.roles': 'broker' } } } }).success).toBe(false);
    expect(KafkaNodePoolSchema.safeParse({ ...pool, spec: { ...pool!.spec, roles: ['zookeeper'] } }).success).toBe(false);
    expect(KafkaNodePoolSchema.safeParse({ ...pool, apiVersion: 'kafka.strimzi.io/v1beta2' }).success).toBe(false);
  });

  it('ready means: chart installed, operator Available, CRDs, then the Kafka Ready condition', () => {
    const { r } = rendered({});
    expect(r.readiness).toEqual([
      { kind: 'helmchart', namespace: 'kube-system', name: 'strimzi-kafka-operator' },
      { kind: 'deployment', namespace: 'kafka', name: 'strimzi-cluster-operator' },
      { kind: 'crd', name: 'kafkas.kafka.strimzi.io' },
      { kind: 'crd', name: 'kafkanodepools.kafka.strimzi.io' },
      { kind: 'condition', resource: 'kafkas.kafka.strimzi.io', namespace: 'kafka', name: 'my-cluster', condition: 'Ready' },
    ]);
    expect(r.images.map((i) => i.ref)).toEqual(['quay.io/strimzi/operator:1.2.0', 'quay.io/strimzi/kafka:1.2.0-kafka-4.3.1']);
  });

  it('an unknown Strimzi version needs the Kafka version spelled out', () => {
    expect(() => rendered({ version: '1.3.0' })).toThrow(/set addons.kafka.kafkaVersion/);
    expect(rendered({ version: '1.3.0', kafkaVersion: '4.4.0' }).r.images[1]!.ref).toBe('quay.io/strimzi/kafka:1.3.0-kafka-4.4.0');
  });

  it('needs knative-eventing only for the Kafka broker', () => {
    expect(kafkaAddon.needs(input({ kafka: {} }, cluster(1)))).toEqual([]);
    expect(kafkaAddon.needs(input({ kafka: { knativeBroker: true }, eventing: true }, cluster(1)))).toEqual(['knative-eventing']);
  });

  it('user chart values go over the operator defaults', () => {
    const [chart] = rendered({ values: { resources: { limits: { memory: '1Gi' } }, watchAnyNamespace: true } }).byFile['kafka-operator.yaml']!;
    expect(chart!.spec.valuesContent).toContain('memory: 1Gi');
    expect(chart!.spec.valuesContent).toContain('memory: 384Mi');
    expect(chart!.spec.valuesContent).toContain('watchAnyNamespace: true');
  });
});

describe('the HelmCharts against the helm-controller schema', () => {
  it('the Strimzi operator chart is a valid HelmChart, written first and waited on before the cluster file', async () => {
    const { HelmChartSchema } = await import('../../../src/addons/helmchart.js');
    const { r, byFile } = rendered({});
    expect(HelmChartSchema.parse(byFile['kafka-operator.yaml']![0]).spec.backOffLimit).toBe(3);
    expect(r.manifests[0]!.waitAfter?.map((c) => c.kind)).toEqual(['helmchart', 'deployment', 'crd', 'crd']);
  });
});
