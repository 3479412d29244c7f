import { z } from 'zod';

/**
 * Strimzi's kafka.strimzi.io/v1 Kafka and KafkaNodePool, written from the upstream field lists
 * (strimzi-kafka-operator api module: KafkaSpec, KafkaClusterSpec, KafkaNodePoolSpec, the storage
 * types, GenericKafkaListener, JvmOptions, EntityOperatorSpec; the v1 changes of proposal 113), Strimzi
 * 1.2.0. Strict at every level kbootstrap renders, so an unknown or misplaced field fails the test.
 * Sections kbootstrap never renders are named (so a typo is still refused) but not described further.
 * v1 drops `spec.zookeeper`, `spec.jmxTrans`, the sidecars; with node pools (the only mode since
 * Strimzi 0.46 removed ZooKeeper) `spec.kafka.replicas` and `spec.kafka.storage` belong to the pools.
 */

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/);
const anything = z.unknown();

const metadata = z.strictObject({
  name,
  namespace: name,
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
  limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
  claims: z.array(anything).optional(),
});

const heap = z.string().regex(/^[0-9]+[kKmMgG]?$/);
const jvmOptions = z.strictObject({
  '-XX': z.record(z.string(), z.string()).optional(),
  '-Xmx': heap.optional(),
  '-Xms': heap.optional(),
  gcLoggingEnabled: z.boolean().optional(),
  javaSystemProperties: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
});

const probe = z.strictObject({
  initialDelaySeconds: z.number().int().min(0).optional(),
  timeoutSeconds: z.number().int().min(1).optional(),
  periodSeconds: z.number().int().min(1).optional(),
  successThreshold: z.number().int().min(1).optional(),
  failureThreshold: z.number().int().min(1).optional(),
});

const kraftMetadata = z.enum(['shared']).optional();
const ephemeral = z.strictObject({ type: z.literal('ephemeral'), id: z.number().int().min(0).optional(), sizeLimit: quantity.optional(), kraftMetadata });
const persistentClaim = z.strictObject({
  type: z.literal('persistent-claim'),
  id: z.number().int().min(0).optional(),
  size: quantity.optional(),
  class: z.string().optional(),
  selector: z.record(z.string(), z.string()).optional(),
  deleteClaim: z.boolean().optional(),
  kraftMetadata,
});
const jbod = z.strictObject({ type: z.literal('jbod'), volumes: z.array(z.discriminatedUnion('type', [ephemeral, persistentClaim])).min(1) });
export const StorageSchema = z.discriminatedUnion('type', [ephemeral, persistentClaim, jbod]);

const podTemplate = z.strictObject({
  metadata: z.strictObject({ labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() }).optional(),
  imagePullSecrets: z.array(anything).optional(),
  securityContext: anything.optional(),
  terminationGracePeriodSeconds: z.number().int().min(0).optional(),
  affinity: z.strictObject({ nodeAffinity: anything.optional(), podAffinity: anything.optional(), podAntiAffinity: anything.optional() }).optional(),
  tolerations: z.array(anything).optional(),
  topologySpreadConstraints: z.array(anything).optional(),
  priorityClassName: z.string().optional(),
  schedulerName: z.string().optional(),
  hostAliases: z.array(anything).optional(),
  dnsPolicy: z.string().optional(),
  dnsConfig: anything.optional(),
  enableServiceLinks: z.boolean().optional(),
  tmpDirSizeLimit: quantity.optional(),
  volumes: z.array(anything).optional(),
});

const nodePoolTemplate = z.strictObject({
  podSet: anything.optional(),
  pod: podTemplate.optional(),
  perPodService: anything.optional(),
  perPodRoute: anything.optional(),
  perPodIngress: anything.optional(),
  persistentVolumeClaim: anything.optional(),
  kafkaContainer: anything.optional(),
  initContainer: anything.optional(),
});

export const KafkaNodePoolSchema = z.strictObject({
  apiVersion: z.literal('kafka.strimzi.io/v1'),
  kind: z.literal('KafkaNodePool'),
  metadata: metadata.refine((m) => m.labels?.['strimzi.io/cluster'] !== undefined, 'a node pool names its Kafka in the strimzi.io/cluster label'),
  spec: z.strictObject({
    replicas: z.number().int().min(0),
    storage: StorageSchema,
    roles: z.array(z.enum(['controller', 'broker'])).min(1),
    resources: resources.optional(),
    jvmOptions: jvmOptions.optional(),
    template: nodePoolTemplate.optional(),
  }),
});

/** KafkaClusterSpec.FORBIDDEN_PREFIXES, less its exceptions: Strimzi manages these keys itself. */
const FORBIDDEN = ['listeners', 'advertised.', 'broker.', 'listener.', 'host.name', 'port', 'inter.broker.listener.name', 'sasl.', 'ssl.', 'security.', 'password.', 'log.dir', 'zookeeper.connect', 'zookeeper.set.acl', 'zookeeper.ssl', 'zookeeper.clientCnxnSocket', 'authorizer.', 'super.user', 'cruise.control.metrics.topic', 'cruise.control.metrics.reporter.bootstrap.servers', 'node.id', 'process.roles', 'controller.', 'metadata.log.dir'];
const EXCEPTIONS = ['zookeeper.connection.timeout.ms', 'sasl.server.max.receive.size', 'ssl.cipher.suites', 'ssl.protocol', 'ssl.enabled.protocols', 'ssl.secure.random.implementation', 'cruise.control.metrics.topic.num.partitions', 'cruise.control.metrics.topic.replication.factor', 'cruise.control.metrics.topic.retention.ms', 'cruise.control.metrics.topic.auto.create.retries', 'cruise.control.metrics.topic.auto.create.timeout.ms', 'cruise.control.metrics.topic.min.insync.replicas', 'controller.quorum.election.backoff.max.ms', 'controller.quorum.election.timeout.ms', 'controller.quorum.fetch.timeout.ms'];
const brokerConfig = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .refine((c) => Object.keys(c).every((k) => EXCEPTIONS.includes(k) || !FORBIDDEN.some((p) => k.startsWith(p))), 'a key Strimzi manages itself is set in spec.kafka.config');

const listener = z.strictObject({
  name: z.string().regex(/^[a-z0-9]{1,11}$/),
  port: z.number().int().min(9092),
  type: z.enum(['internal', 'route', 'loadbalancer', 'nodeport', 'ingress', 'cluster-ip']),
  tls: z.boolean(),
  authentication: anything.optional(),
  configuration: anything.optional(),
  networkPolicyPeers: z.array(anything).optional(),
});

const kafkaClusterSpec = z.strictObject({
  version: z.string().regex(/^\d+\.\d+\.\d+$/).optional(),
  metadataVersion: z.string().optional(),
  image: z.string().optional(),
  listeners: z.array(listener).min(1),
  config: brokerConfig.optional(),
  authorization: anything.optional(),
  rack: anything.optional(),
  brokerRackInitImage: z.string().optional(),
  livenessProbe: probe.optional(),
  readinessProbe: probe.optional(),
  jvmOptions: jvmOptions.optional(),
  jmxOptions: anything.optional(),
  resources: resources.optional(),
  metricsConfig: anything.optional(),
  logging: anything.optional(),
  template: anything.optional(),
  tieredStorage: anything.optional(),
  quotas: anything.optional(),
});

const entityOperand = z.strictObject({
  watchedNamespace: z.string().optional(),
  image: z.string().optional(),
  reconciliationIntervalMs: z.number().int().min(0).optional(),
  resources: resources.optional(),
  livenessProbe: probe.optional(),
  readinessProbe: probe.optional(),
  startupProbe: probe.optional(),
  logging: anything.optional(),
  jvmOptions: jvmOptions.optional(),
});

export const KafkaSchema = z.strictObject({
  apiVersion: z.literal('kafka.strimzi.io/v1'),
  kind: z.literal('Kafka'),
  metadata,
  spec: z.strictObject({
    kafka: kafkaClusterSpec,
    entityOperator: z.strictObject({ topicOperator: entityOperand.optional(), userOperator: entityOperand.extend({ secretPrefix: z.string().optional() }).optional(), template: anything.optional() }).optional(),
    clusterCa: anything.optional(),
    clientsCa: anything.optional(),
    cruiseControl: anything.optional(),
    kafkaExporter: anything.optional(),
    maintenanceTimeWindows: z.array(z.string()).optional(),
  }),
});
