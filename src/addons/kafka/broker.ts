import { UserError } from '../../errors.js';
import type { KafkaSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonAsset, AddonFootprint, AddonManifest, ReadinessCheck } from '../types.js';
import { yamlStream, type Values } from './chart.js';
import { bootstrapService } from './strimzi.js';

/**
 * The Knative Kafka broker (knative-extensions/eventing-kafka-broker): the controller and data plane
 * release files, and kbootstrap's `kafka-broker-config` pointing at the Strimzi bootstrap service.
 *
 * The release's own data plane file also holds a `kafka-broker-config` (bootstrap
 * my-cluster-kafka-bootstrap.kafka:9092, replication factor 3). k3s re-applies every manifest when it
 * restarts, in file-name order, so kbootstrap's settings live in a file of their own that sorts after the
 * release files (`kafka-broker-*` > `eventing-kafka-*`): a config patched by `kubectl` would be put back
 * to the release's on the next k3s restart.
 */

export const BROKER_DEFAULT_VERSION = 'knative-v1.23.0';
export const BROKER_RELEASE_FILES = ['eventing-kafka-controller.yaml', 'eventing-kafka-broker.yaml'] as const;
export const BROKER_CONFIG_FILE = 'kafka-broker-config.yaml';
export const BROKER_DEFAULT_CLASS_FILE = 'kafka-broker-default-class.yaml';
const RELEASES = 'https://github.com/knative-extensions/eventing-kafka-broker/releases/download';

/**
 * sha256 of the release files kbootstrap was tested with, by version. Empty: no checksum was recorded
 * for any release yet, so the inventory must give them (addons.kafka.broker.sha256) until one is.
 */
export const BROKER_SHA256: Record<string, Partial<Record<(typeof BROKER_RELEASE_FILES)[number], string>>> = {};

export function brokerVersion(settings: KafkaSettings): string {
  return settings.broker.version ?? BROKER_DEFAULT_VERSION;
}

export function brokerAssets(settings: KafkaSettings): AddonAsset[] {
  const version = brokerVersion(settings);
  const base = settings.broker.mirror ? `${settings.broker.mirror.replace(/\/+$/, '')}/${version}` : `${RELEASES}/${version}`;
  const missing = BROKER_RELEASE_FILES.filter((f) => !(settings.broker.sha256[f] ?? BROKER_SHA256[version]?.[f]));
  if (missing.length > 0) {
    throw new UserError(`kbootstrap has no sha256 for eventing-kafka-broker ${version}: ${missing.join(', ')}`, {
      hint: `download them from ${RELEASES}/${version}/, check them, and set addons.kafka.broker.sha256 { ${missing.map((f) => `"${f}": <sha256>`).join(', ')} }`,
    });
  }
  return BROKER_RELEASE_FILES.map((fileName) => ({
    fileName,
    url: `${base}/${fileName}`,
    sha256: (settings.broker.sha256[fileName] ?? BROKER_SHA256[version]?.[fileName]) as string,
  }));
}

export function brokerConfigMap(settings: KafkaSettings, replicationFactor: number): Values {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kafka-broker-config', namespace: 'knative-eventing' },
    data: {
      'bootstrap.servers': bootstrapService(settings),
      'default.topic.partitions': String(settings.broker.partitions),
      'default.topic.replication.factor': String(replicationFactor),
    },
  };
}

/** config-br-defaults with Kafka as the cluster default class, its brokers configured by kafka-broker-config. */
export function defaultBrokerClass(): Values {
  const config = [
    'clusterDefault:',
    '  brokerClass: Kafka',
    '  apiVersion: v1',
    '  kind: ConfigMap',
    '  name: kafka-broker-config',
    '  namespace: knative-eventing',
    '',
  ].join('\n');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'config-br-defaults', namespace: 'knative-eventing' },
    data: { 'default-br-config': config },
  };
}

export function brokerManifests(settings: KafkaSettings, replicationFactor: number): AddonManifest[] {
  const out: AddonManifest[] = [{ fileName: BROKER_CONFIG_FILE, content: yamlStream([brokerConfigMap(settings, replicationFactor)]) }];
  if (settings.broker.defaultClass) out.push({ fileName: BROKER_DEFAULT_CLASS_FILE, content: yamlStream([defaultBrokerClass()]) });
  return out;
}

export function brokerReadiness(): ReadinessCheck[] {
  return [
    { kind: 'deployment', namespace: 'knative-eventing', name: 'kafka-controller' },
    { kind: 'deployment', namespace: 'knative-eventing', name: 'kafka-webhook-eventing' },
    { kind: 'webhook', namespace: 'knative-eventing', service: 'kafka-webhook-eventing' },
    { kind: 'deployment', namespace: 'knative-eventing', name: 'kafka-broker-receiver' },
  ];
}

/**
 * Requests of the broker's pods: the receiver asks 200m/450Mi and the dispatcher 1 CPU/700Mi (release
 * manifests); the controller and webhook are Go binaries, estimated at 100Mi each.
 */
export function brokerFootprint(): AddonFootprint[] {
  return [
    { memoryMiB: 100, cpuMilli: 100, replicas: 1 },
    { memoryMiB: 100, cpuMilli: 100, replicas: 1 },
    { memoryMiB: 450, cpuMilli: 200, replicas: 1 },
    { memoryMiB: 700, cpuMilli: 1000, replicas: 1 },
  ];
}
