import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kafkaAddon } from '../../../src/addons/kafka/index.js';
import { cluster, input } from './cluster.js';
import { KafkaBrokerConfigSchema } from './broker-config-schema.js';

const SHA = { 'eventing-kafka-controller.yaml': 'a'.repeat(64), 'eventing-kafka-broker.yaml': 'b'.repeat(64) };

function render(kafka: Record<string, unknown>, nodes = 4) {
  return kafkaAddon.render(input({ kafka: { knativeBroker: true, ...kafka }, eventing: true }, cluster(nodes)));
}

describe('the Knative Kafka broker', () => {
  it('refuses release files it has no sha256 for, naming them and the key', () => {
    expect(() => render({})).toThrow(/no sha256 for eventing-kafka-broker knative-v1\.23\.0: eventing-kafka-controller\.yaml, eventing-kafka-broker\.yaml/);
  });

  it('fetches the controller and data plane releases, checked against the sha256 given', () => {
    const r = render({ broker: { sha256: SHA } });
    expect(r.assets).toEqual([
      { fileName: 'eventing-kafka-controller.yaml', url: 'https://github.com/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0/eventing-kafka-controller.yaml', sha256: SHA['eventing-kafka-controller.yaml'] },
      { fileName: 'eventing-kafka-broker.yaml', url: 'https://github.com/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0/eventing-kafka-broker.yaml', sha256: SHA['eventing-kafka-broker.yaml'] },
    ]);
    const mirrored = render({ broker: { sha256: SHA, mirror: 'http://127.0.0.1:8080/kafka/' } });
    expect(mirrored.assets[0]!.url).toBe('http://127.0.0.1:8080/kafka/knative-v1.23.0/eventing-kafka-controller.yaml');
  });

  it('kafka-broker-config points at the Strimzi bootstrap service with the cluster replication factor', () => {
    const one = render({ broker: { sha256: SHA } });
    const file = one.manifests.find((m) => m.fileName === 'kafka-broker-config.yaml')!;
    expect(KafkaBrokerConfigSchema.parse(parse(file.content)).data).toEqual({
      'bootstrap.servers': 'my-cluster-kafka-bootstrap.kafka:9092',
      'default.topic.partitions': '10',
      'default.topic.replication.factor': '1',
    });
    const three = render({ replicas: 3, clusterName: 'events', namespace: 'streams', broker: { sha256: SHA, partitions: 3 } });
    const data = KafkaBrokerConfigSchema.parse(parse(three.manifests.find((m) => m.fileName === 'kafka-broker-config.yaml')!.content)).data;
    expect(data).toMatchObject({ 'bootstrap.servers': 'events-kafka-bootstrap.streams:9092', 'default.topic.replication.factor': '3', 'default.topic.partitions': '3' });
  });

  it('our files sort after the release files, so a k3s restart re-applies ours last', () => {
    const r = render({ broker: { sha256: SHA, defaultClass: true } });
    const ours = r.manifests.filter((m) => m.fileName.startsWith('kafka-broker')).map((m) => m.fileName);
    expect(ours).toEqual(['kafka-broker-config.yaml', 'kafka-broker-default-class.yaml']);
    for (const o of ours) for (const a of r.assets) expect(o > a.fileName).toBe(true);
  });

  it('Kafka as the default broker class only when asked', () => {
    expect(render({ broker: { sha256: SHA } }).manifests.some((m) => m.fileName === 'kafka-broker-default-class.yaml')).toBe(false);
    const r = render({ broker: { sha256: SHA, defaultClass: true } });
    const cm = parse(r.manifests.find((m) => m.fileName === 'kafka-broker-default-class.yaml')!.content);
    expect(cm.metadata).toEqual({ name: 'config-br-defaults', namespace: 'knative-eventing' });
    expect(parse(cm.data['default-br-config'])).toEqual({
      clusterDefault: { brokerClass: 'Kafka', apiVersion: 'v1', kind: 'ConfigMap', name: 'kafka-broker-config', namespace: 'knative-eventing' },
    });
  });

  it('waits for the controller, its webhook and the data plane receiver after the Kafka', () => {
    const r = render({ broker: { sha256: SHA } });
    const kinds = r.readiness.map((c) => ('name' in c ? c.name : c.kind === 'webhook' ? `webhook:${c.service}` : ''));
    expect(kinds.slice(-5)).toEqual(['my-cluster', 'kafka-controller', 'kafka-webhook-eventing', 'webhook:kafka-webhook-eventing', 'kafka-broker-receiver']);
  });

  it('the broker config schema refuses keys the broker does not read', () => {
    const cm = parse(render({ broker: { sha256: SHA } }).manifests.find((m) => m.fileName === 'kafka-broker-config.yaml')!.content);
    expect(KafkaBrokerConfigSchema.safeParse({ ...cm, data: { ...cm.data, 'bootstrap.server': 'x:1' } }).success).toBe(false);
    expect(KafkaBrokerConfigSchema.safeParse({ ...cm, data: { ...cm.data, 'default.topic.replication.factor': '0' } }).success).toBe(false);
  });
});
