import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kafkaAddon } from '../../../src/addons/kafka/index.js';
import { UserError } from '../../../src/errors.js';
import { cluster, input } from './cluster.js';
import { KafkaBrokerConfigSchema } from './broker-config-schema.js';

const SUMS = { 'eventing-kafka-controller.yaml': 'a'.repeat(64), 'eventing-kafka-broker.yaml': 'b'.repeat(64) };

function render(kafka: Record<string, unknown>, nodes = 4) {
  return kafkaAddon.render(input({ kafka: { knativeBroker: true, ...kafka }, eventing: true }, cluster(nodes)));
}

/** The UserError render throws for these settings (fails the test when it throws none). */
function refusal(kafka: Record<string, unknown>): UserError {
  try {
    render(kafka);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('render did not refuse');
}

describe('the Knative Kafka broker', () => {
  it('refuses release files with no recorded or pinned sha256: each file, its URL, the key, and where the sums come from', () => {
    const base = 'https://github.com/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0';
    expect(() => render({})).toThrow(
      [
        'the Knative Kafka broker knative-v1.23.0: kbootstrap records no sha256 for 2 release file(s), so it downloads none of them:',
        `  eventing-kafka-controller.yaml (${base}/eventing-kafka-controller.yaml): set addons.kafka.checksums["eventing-kafka-controller.yaml"]`,
        `  eventing-kafka-broker.yaml (${base}/eventing-kafka-broker.yaml): set addons.kafka.checksums["eventing-kafka-broker.yaml"]`,
      ].join('\n'),
    );
    const one = refusal({ checksums: { 'eventing-kafka-broker.yaml': SUMS['eventing-kafka-broker.yaml'] } });
    expect(one.message).toContain('no sha256 for 1 release file(s)');
    expect(one.message).not.toContain('checksums["eventing-kafka-broker.yaml"]');
    expect(one.hint).toBe(
      '`npx tsx scripts/addon-checksums.ts` (in kbootstrap\'s source tree, on a machine with internet access) prints the sha256 of the knative-v1.23.0 files; ' +
        'put them in the inventory: addons.kafka.checksums: { eventing-kafka-controller.yaml: <sha256> } (or knativeBroker: false)',
    );
  });

  it('a pinned broker version: the hint says the script covers only the default, sha256sum the files', () => {
    expect(() => render({ broker: { version: 'knative-v1.22.1' } })).toThrow(/^the Knative Kafka broker knative-v1\.22\.1: kbootstrap records no sha256 for 2/);
    expect(refusal({ broker: { version: 'knative-v1.22.1' } }).hint).toMatch(/^`sha256sum` the knative-v1\.22\.1 files you downloaded and checked \(`npx tsx scripts\/addon-checksums\.ts` covers only the default version, knative-v1\.23\.0\)/);
    expect(render({ broker: { version: 'knative-v1.22.1' }, checksums: SUMS }).assets.map((a) => a.sha256)).toEqual([SUMS['eventing-kafka-controller.yaml'], SUMS['eventing-kafka-broker.yaml']]);
  });

  it('fetches the controller and data plane releases, checked against the sha256 given', () => {
    const r = render({ checksums: SUMS });
    expect(r.assets[0]!.waitAfter).toEqual([
      { kind: 'deployment', namespace: 'knative-eventing', name: 'kafka-controller' },
      { kind: 'webhook', namespace: 'knative-eventing', service: 'kafka-webhook-eventing' },
    ]);
    expect(r.assets.map(({ waitAfter: _, ...a }) => a)).toEqual([
      { fileName: 'kafka-eventing-controller.yaml', url: 'https://github.com/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0/eventing-kafka-controller.yaml', sha256: SUMS['eventing-kafka-controller.yaml'] },
      { fileName: 'kafka-eventing-data-plane.yaml', url: 'https://github.com/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0/eventing-kafka-broker.yaml', sha256: SUMS['eventing-kafka-broker.yaml'] },
    ]);
    const mirrored = render({ checksums: SUMS, mirror: 'http://127.0.0.1:8080/gh/' });
    expect(mirrored.assets[0]!.url).toBe('http://127.0.0.1:8080/gh/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0/eventing-kafka-controller.yaml');
  });

  it('kafka-broker-config points at the Strimzi bootstrap service with the cluster replication factor', () => {
    const one = render({ checksums: SUMS });
    const file = one.manifests.find((m) => m.fileName === 'kafka-knative-broker-config.yaml')!;
    expect(KafkaBrokerConfigSchema.parse(parse(file.content)).data).toEqual({
      'bootstrap.servers': 'my-cluster-kafka-bootstrap.kafka:9092',
      'default.topic.partitions': '10',
      'default.topic.replication.factor': '1',
    });
    const three = render({ replicas: 3, clusterName: 'events', namespace: 'streams', checksums: SUMS, broker: { partitions: 3 } });
    const data = KafkaBrokerConfigSchema.parse(parse(three.manifests.find((m) => m.fileName === 'kafka-knative-broker-config.yaml')!.content)).data;
    expect(data).toMatchObject({ 'bootstrap.servers': 'events-kafka-bootstrap.streams:9092', 'default.topic.replication.factor': '3', 'default.topic.partitions': '3' });
  });

  it('our config sorts after the release files, so a k3s restart re-applies ours last; every file is kafka-*', () => {
    const r = render({ checksums: SUMS });
    for (const a of r.assets) expect('kafka-knative-broker-config.yaml' > a.fileName).toBe(true);
    for (const f of [...r.assets, ...r.manifests]) expect(f.fileName).toMatch(/^kafka(-[a-z0-9-]+)?\.yaml$/);
  });

  it('Kafka as the default broker class only when asked', () => {
    expect(render({ checksums: SUMS }).steps.map((s) => s.args.slice(0, 3))).toEqual([['apply', '-f', '-']]);
    const [, step] = render({ checksums: SUMS, broker: { defaultClass: true } }).steps;
    expect(step!.args.slice(0, 7)).toEqual(['patch', 'configmap', 'config-br-defaults', '-n', 'knative-eventing', '--type', 'merge']);
    expect(step!.probe).toMatchObject({ resource: 'configmap', namespace: 'knative-eventing', name: 'config-br-defaults' });
    const patch = JSON.parse(step!.args[8]!);
    expect(parse(patch.data['default-br-config'])).toEqual({
      clusterDefault: { brokerClass: 'Kafka', apiVersion: 'v1', kind: 'ConfigMap', name: 'kafka-broker-config', namespace: 'knative-eventing' },
    });
  });

  it('waits for the controller, its webhook and the data plane receiver after the Kafka', () => {
    const r = render({ checksums: SUMS });
    const kinds = r.readiness.map((c) => ('name' in c ? c.name : c.kind === 'webhook' ? `webhook:${c.service}` : ''));
    expect(kinds.slice(-5)).toEqual(['my-cluster', 'kafka-controller', 'kafka-webhook-eventing', 'webhook:kafka-webhook-eventing', 'kafka-broker-receiver']);
  });

  it('the broker config schema refuses keys the broker does not read', () => {
    const cm = parse(render({ checksums: SUMS }).manifests.find((m) => m.fileName === 'kafka-knative-broker-config.yaml')!.content);
    expect(KafkaBrokerConfigSchema.safeParse({ ...cm, data: { ...cm.data, 'bootstrap.server': 'x:1' } }).success).toBe(false);
    expect(KafkaBrokerConfigSchema.safeParse({ ...cm, data: { ...cm.data, 'default.topic.replication.factor': '0' } }).success).toBe(false);
  });
});
