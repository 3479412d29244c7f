import * as z from 'zod';
import { commonAddonFields } from './schema-addons.js';

/**
 * Inventory settings of the streaming half of the serverless layer: `addons.kafka` (Strimzi, the Knative
 * Kafka broker) and `addons.openwhisk`. schema.ts's addons section uses these two schemas as they are.
 * This file imports nothing from schema.ts, so schema.ts can import it without a cycle.
 */

const common = {
  ...commonAddonFields,
  values: z.record(z.string(), z.unknown()).default({}).describe('Extra chart values, merged over the ones kbootstrap sets.'),
};

const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$/;

export const KafkaStorageSchema = z
  .strictObject({
    type: z
      .enum(['ephemeral', 'persistent'])
      .default('ephemeral')
      .describe('ephemeral: an emptyDir, lost when the pod moves or restarts; persistent: a PersistentVolumeClaim on `storageClass` (k3s local-path pins each broker to the node its volume is on).'),
    size: z.string().regex(QUANTITY, 'must be a size like 10Gi').default('10Gi').describe('Volume size (persistent) or emptyDir size limit (ephemeral).'),
    storageClass: z.string().min(1).default('local-path').describe("StorageClass of the persistent volumes; k3s's local-path by default."),
    deleteClaim: z.boolean().default(false).describe('Delete the volumes when the Kafka cluster is deleted (persistent only).'),
  })
  .prefault({})
  .describe('Where the brokers keep their log.');

export const KafkaBrokerSchema = z
  .strictObject({
    version: z.string().min(1).optional().describe('eventing-kafka-broker release, like knative-v1.23.0; default: the one kbootstrap is tested with.'),
    defaultClass: z.boolean().default(false).describe('Make Kafka the cluster-wide default Broker class (config-br-defaults).'),
    partitions: z.number().int().min(1).max(1000).default(10).describe('default.topic.partitions of the topics the broker creates.'),
  })
  .prefault({})
  .describe('The Knative Kafka broker (eventing-kafka-broker), when knativeBroker is on.');

export const KafkaAddonSchema = z
  .strictObject({
    ...common,
    knativeBroker: z.boolean().default(false).describe('Also install the Knative Kafka broker (eventing-kafka-broker); needs knative-eventing.'),
    broker: KafkaBrokerSchema,
    checksums: z
      .record(z.string().regex(/^[A-Za-z0-9._-]+\.ya?ml$/, 'keys are release file names like eventing-kafka-broker.yaml'), z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex (64 characters)'))
      .default({})
      .describe('sha256 of the Kafka broker release files (eventing-kafka-controller.yaml, eventing-kafka-broker.yaml) for a version kbootstrap records no checksum for.'),
    mirror: z
      .url('must be a URL like https://mirror.example/releases')
      .optional()
      .describe('Base URL that replaces https://github.com for the Kafka broker release files (a mirror with the same layout). Env KBOOTSTRAP_ADDON_MIRROR_URL wins.'),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(9)
      .default(1)
      .describe('Kafka nodes (each both KRaft controller and broker). 1 fits a 4 GB Pi 4; 3 needs three nodes that can each hold one. Replication factor and min.insync.replicas follow.'),
    heapMiB: z.number().int().min(256).max(16384).optional().describe('JVM heap of each Kafka node (-Xms = -Xmx). Default: 512 on nodes with 4 GB or less, else 1024.'),
    kafkaVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a Kafka version like 4.1.0').optional().describe('Kafka version run by Strimzi; default: the one the pinned Strimzi release runs.'),
    clusterName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label').default('my-cluster').describe('Name of the Kafka resource (the bootstrap service is <name>-kafka-bootstrap).'),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label').default('kafka').describe('Namespace of the Strimzi operator and the Kafka cluster.'),
    storage: KafkaStorageSchema,
  })
  .describe('Kafka through the Strimzi operator (KRaft, kafka.strimzi.io/v1).');

export type KafkaSettings = z.output<typeof KafkaAddonSchema>;

/**
 * OpenWhisk components with an image, by the key the inventory uses, the chart values path that holds
 * `imageName`/`imageTag`, and the upstream default (apache/openwhisk-deploy-kube values.yaml at 9dbf566).
 * `amd64Only`: the default is known to be published for amd64 only (apache/openwhisk#5503 "Produce
 * multi-arch docker images" is open); the others' arm64 is not known here and is for the image check to say.
 */
export const OPENWHISK_COMPONENTS = [
  { component: 'controller', path: ['controller'], imageName: 'openwhisk/controller', imageTag: 'ef725a6', amd64Only: true },
  { component: 'invoker', path: ['invoker'], imageName: 'openwhisk/invoker', imageTag: 'ef725a6', amd64Only: true },
  { component: 'utility', path: ['utility'], imageName: 'openwhisk/ow-utils', imageTag: 'ef725a6', amd64Only: true },
  { component: 'apigw', path: ['apigw'], imageName: 'openwhisk/apigateway', imageTag: '1.0.0', amd64Only: true },
  { component: 'alarmprovider', path: ['providers', 'alarm'], imageName: 'openwhisk/alarmprovider', imageTag: '2.3.0', amd64Only: true },
  { component: 'kafkaprovider', path: ['providers', 'kafka'], imageName: 'openwhisk/kafkaprovider', imageTag: '2.1.0', amd64Only: true },
  { component: 'zookeeper', path: ['zookeeper'], imageName: 'zookeeper', imageTag: '3.4', amd64Only: false },
  { component: 'kafka', path: ['kafka'], imageName: 'wurstmeister/kafka', imageTag: '2.12-2.3.1', amd64Only: false },
  { component: 'db', path: ['db'], imageName: 'apache/couchdb', imageTag: '2.3', amd64Only: false },
  { component: 'nginx', path: ['nginx'], imageName: 'nginx', imageTag: '1.21.1', amd64Only: false },
  { component: 'redis', path: ['redis'], imageName: 'redis', imageTag: '4.0', amd64Only: false },
  { component: 'busybox', path: ['busybox'], imageName: 'busybox', imageTag: 'latest', amd64Only: false },
] as const;

export type OpenWhiskComponent = (typeof OPENWHISK_COMPONENTS)[number]['component'];

const imageSetting = (c: (typeof OPENWHISK_COMPONENTS)[number]) =>
  z
    .strictObject({
      imageName: z.string().min(1).default(c.imageName).describe(`Image repository of ${c.component} (chart key ${c.path.join('.')}.imageName).`),
      imageTag: z.string().min(1).default(c.imageTag).describe(`Image tag of ${c.component} (chart key ${c.path.join('.')}.imageTag).`),
    })
    .prefault({})
    .describe(`The ${c.component} image${c.amd64Only ? ' (the default is amd64 only)' : ''}.`);

const imagesShape = Object.fromEntries(OPENWHISK_COMPONENTS.map((c) => [c.component, imageSetting(c)])) as {
  [K in OpenWhiskComponent]: ReturnType<typeof imageSetting>;
};

export const OpenWhiskImagesSchema = z
  .strictObject(imagesShape)
  .prefault({})
  .describe('Every OpenWhisk component image. The Apache images are amd64 only: with arm64 nodes set arm64 builds here, or kbootstrap refuses.');

export const OpenWhiskAddonSchema = z
  .strictObject({
    ...common,
    images: OpenWhiskImagesSchema,
    invokerMemory: z.string().regex(/^[0-9]+m$/, 'must be megabytes like 2048m').default('2048m').describe('whisk.containerPool.userMemory: memory the invoker gives to action containers.'),
    providers: z.boolean().default(false).describe('Install the alarm and Kafka event providers (each a pod with its own CouchDB database).'),
  })
  .describe('Apache OpenWhisk through its Helm chart, NodePort 31001 on the first server.');

export type OpenWhiskSettings = z.output<typeof OpenWhiskAddonSchema>;

/** The settings of an addon as schema.ts holds them; parsed here so the addon reads its own type. */
export function kafkaSettings(raw: unknown): KafkaSettings {
  return KafkaAddonSchema.parse(raw ?? {});
}

export function openwhiskSettings(raw: unknown): OpenWhiskSettings {
  return OpenWhiskAddonSchema.parse(raw ?? {});
}

export type OpenWhiskImageChoice = Record<OpenWhiskComponent, { imageName: string; imageTag: string }>;

/**
 * Components whose image repository is still an upstream default known to be amd64 only (any tag of
 * those repositories is), with the inventory key that overrides it. `used` limits it to the components
 * the chart will run.
 */
export function openwhiskAmd64OnlyDefaults(
  images: OpenWhiskImageChoice,
  used: (component: OpenWhiskComponent) => boolean = () => true,
): { component: OpenWhiskComponent; image: string; key: string }[] {
  return OPENWHISK_COMPONENTS.filter((c) => c.amd64Only && used(c.component) && images[c.component].imageName === c.imageName).map((c) => ({
    component: c.component,
    image: `${images[c.component].imageName}:${images[c.component].imageTag}`,
    key: `addons.openwhisk.images.${c.component}`,
  }));
}

/** The image of each component as the settings choose it: `values` (raw chart values) win over `images`, as in the chart. */
export function openwhiskChosenImages(settings: OpenWhiskSettings): OpenWhiskImageChoice {
  const out = {} as OpenWhiskImageChoice;
  for (const c of OPENWHISK_COMPONENTS) {
    let node: unknown = settings.values;
    for (const key of c.path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    const v = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown>;
    const given = settings.images[c.component];
    out[c.component] = {
      imageName: typeof v.imageName === 'string' ? v.imageName : given.imageName,
      imageTag: typeof v.imageTag === 'string' ? v.imageTag : given.imageTag,
    };
  }
  return out;
}

/** Whether the chart runs a component with these settings (the event providers are optional). */
export function openwhiskRuns(settings: Pick<OpenWhiskSettings, 'providers'>, component: OpenWhiskComponent): boolean {
  return component === 'alarmprovider' || component === 'kafkaprovider' ? settings.providers : true;
}
