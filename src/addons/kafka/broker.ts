import type { KafkaSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonAsset, AddonFootprint, AddonManifest, AddonStep, ReadinessCheck } from '../types.js';
import { toYaml } from '../helmchart.js';
import { releaseAsset } from '../release-files.js';
import { applyStep, configMapPatchStep } from '../steps.js';
import type { Values } from './chart.js';
import { bootstrapService } from './strimzi.js';

/**
 * The Knative Kafka broker (knative-extensions/eventing-kafka-broker): the controller and data plane
 * release files, and kbootstrap's `kafka-broker-config` pointing at the Strimzi bootstrap service.
 *
 * The release's own data plane file also holds a `kafka-broker-config` (bootstrap
 * my-cluster-kafka-bootstrap.kafka:9092, replication factor 3). k3s re-applies every manifest when it
 * restarts, in file-name order, so kbootstrap's settings live in a file of their own that sorts after the
 * release files (`kafka-knative-*` > `kafka-eventing-*`): a config patched by `kubectl` alone would be
 * put back to the release's on the next k3s restart.
 */

export const BROKER_DEFAULT_VERSION = 'knative-v1.23.0';
/** Upstream release file → the name it gets in the manifests dir (`kafka-<part>.yaml`, the engine's convention). */
export const BROKER_RELEASE_FILES = [
  { upstream: 'eventing-kafka-controller.yaml', fileName: 'kafka-eventing-controller.yaml' },
  { upstream: 'eventing-kafka-broker.yaml', fileName: 'kafka-eventing-data-plane.yaml' },
] as const;
export const BROKER_CONFIG_FILE = 'kafka-knative-broker-config.yaml';

export function brokerVersion(settings: KafkaSettings): string {
  return settings.broker.version ?? BROKER_DEFAULT_VERSION;
}

/**
 * The two release files, from GitHub or the mirror, with the sha256 the inventory pins
 * (addons.kafka.checksums) or kbootstrap records; "" when neither (the engine refuses the file).
 */
export function brokerAssets(settings: KafkaSettings): AddonAsset[] {
  const version = brokerVersion(settings);
  const [controller, dataPlane] = BROKER_RELEASE_FILES.map(({ upstream, fileName }) =>
    releaseAsset({ path: `knative-extensions/eventing-kafka-broker/releases/download/${version}/${upstream}`, fileName }, { mirror: settings.mirror, checksums: settings.checksums }),
  );
  // The data plane's Deployments and the broker's webhook need the controller's CRDs and webhook first.
  return [{ ...controller!, waitAfter: [{ kind: 'deployment', namespace: 'knative-eventing', name: 'kafka-controller' }, { kind: 'webhook', namespace: 'knative-eventing', service: 'kafka-webhook-eventing' }] }, dataPlane!];
}

/** The command that prints the sha256 of every release file the addons download at their default versions. */
export const CHECKSUMS_COMMAND = 'npx tsx scripts/addon-checksums.ts';

/**
 * The refusal of broker release files with no sha256 (neither recorded in RECORDED_SHA256 of
 * src/addons/release-files.ts nor pinned in addons.kafka.checksums): each file with its URL, the inventory
 * key that pins it, and where the sums come from. kbootstrap records none for the broker yet (no digest
 * was read from the release), so this is what a user of the broker sees until one is recorded.
 */
export function brokerChecksumRefusal(settings: KafkaSettings, assets: AddonAsset[]): { message: string; hint: string } | undefined {
  const missing = assets.filter((a) => a.sha256 === '').map((a) => ({ upstream: a.url.slice(a.url.lastIndexOf('/') + 1), url: a.url }));
  if (missing.length === 0) return undefined;
  const version = brokerVersion(settings);
  const list = missing.map((m) => `  ${m.upstream} (${m.url}): set addons.kafka.checksums["${m.upstream}"]`).join('\n');
  const where =
    version === BROKER_DEFAULT_VERSION
      ? `\`${CHECKSUMS_COMMAND}\` (in kbootstrap's source tree, on a machine with internet access) prints the sha256 of the ${version} files`
      : `\`sha256sum\` the ${version} files you downloaded and checked (\`${CHECKSUMS_COMMAND}\` covers only the default version, ${BROKER_DEFAULT_VERSION})`;
  return {
    message: `the Knative Kafka broker ${version}: kbootstrap records no sha256 for ${missing.length} release file(s), so it downloads none of them:\n${list}`,
    hint: `${where}; put them in the inventory: addons.kafka.checksums: { ${missing.map((m) => `${m.upstream}: <sha256>`).join(', ')} } (or knativeBroker: false)`,
  };
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

/** Eventing's config-br-defaults with Kafka as the cluster default class, configured by kafka-broker-config. */
export const DEFAULT_BROKER_CONFIG = [
    'clusterDefault:',
    '  brokerClass: Kafka',
    '  apiVersion: v1',
    '  kind: ConfigMap',
    '  name: kafka-broker-config',
    '  namespace: knative-eventing',
    '',
].join('\n');

/**
 * A patch of Eventing's own ConfigMap (its file sorts after kbootstrap's, so a file of ours would lose to
 * it), run once the Eventing webhook that validates it answers.
 */
export function defaultBrokerClassStep(): AddonStep {
  return configMapPatchStep('knative-eventing', 'config-br-defaults', { 'default-br-config': DEFAULT_BROKER_CONFIG }, 'Kafka as the default Broker class');
}

export function brokerManifests(settings: KafkaSettings, replicationFactor: number): AddonManifest[] {
  return [{ fileName: BROKER_CONFIG_FILE, content: toYaml([brokerConfigMap(settings, replicationFactor)]) }];
}

/**
 * The engine writes an addon's own files before its release files, so on the first install the
 * release's kafka-broker-config lands after ours: applying ours again once the data plane is up puts it
 * back (from then on, every k3s restart re-applies the files in name order, ours last).
 */
export function brokerSteps(settings: KafkaSettings, replicationFactor: number): AddonStep[] {
  const cm = brokerConfigMap(settings, replicationFactor) as Parameters<typeof applyStep>[1][number];
  const steps = [applyStep('apply kbootstrap\'s kafka-broker-config over the release\'s (knative-eventing)', [cm])];
  if (settings.broker.defaultClass) steps.push(defaultBrokerClassStep());
  return steps;
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
