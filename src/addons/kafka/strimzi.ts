import { stringify } from 'yaml';
import { UserError } from '../../errors.js';
import type { KafkaSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonFootprint, AddonImage, ReadinessCheck } from '../types.js';
import { helmChart, type HelmChart } from '../helmchart.js';
import { mergeValues, type Values } from './chart.js';
import type { KafkaSizing } from './sizing.js';

/** Strimzi: the operator chart (OCI, pinned), one dual-role KafkaNodePool and a Kafka, KRaft only. */

export const STRIMZI_DEFAULT_VERSION = '1.2.0';
export const STRIMZI_CHART = 'oci://quay.io/strimzi-helm/strimzi-kafka-operator';
export const STRIMZI_OPERATOR_DEPLOYMENT = 'strimzi-cluster-operator';
/** The Kafka version each Strimzi release runs by default (its kafka image is <strimzi>-kafka-<kafka>). */
export const STRIMZI_KAFKA_VERSIONS: Record<string, string> = { '1.2.0': '4.3.1' };
export const NODE_POOL_NAME = 'dual-role';
export const PLAIN_PORT = 9092;

/** Operator requests (FACTS: 200m/384Mi; OOM reports at 384Mi, so its limit is 768Mi). */
const OPERATOR = { cpuMilli: 200, memoryMiB: 384, limitMiB: 768 };
/** The entity operator runs only the topic operator (KafkaTopic resources); users are not managed. */
const TOPIC_OPERATOR = { cpuMilli: 50, memoryMiB: 256, heap: '128m' };

export const OPERATOR_FILE = 'kafka-operator.yaml';
export const CLUSTER_FILE = 'kafka-cluster.yaml';

export function strimziVersion(settings: KafkaSettings): string {
  return settings.version ?? STRIMZI_DEFAULT_VERSION;
}

export function kafkaVersion(settings: KafkaSettings): string {
  const strimzi = strimziVersion(settings);
  const version = settings.kafkaVersion ?? STRIMZI_KAFKA_VERSIONS[strimzi];
  if (!version) {
    throw new UserError(`kbootstrap does not know which Kafka version Strimzi ${strimzi} runs: set addons.kafka.kafkaVersion`, {
      hint: 'use a Kafka version that Strimzi release supports (its release notes list them)',
    });
  }
  return version;
}

export function bootstrapService(settings: KafkaSettings): string {
  return `${settings.clusterName}-kafka-bootstrap.${settings.namespace}:${PLAIN_PORT}`;
}

export function operatorHelmChart(settings: KafkaSettings): HelmChart {
  const ours: Values = {
    resources: {
      requests: { cpu: `${OPERATOR.cpuMilli}m`, memory: `${OPERATOR.memoryMiB}Mi` },
      limits: { memory: `${OPERATOR.limitMiB}Mi` },
    },
  };
  return helmChart('strimzi-kafka-operator', {
    chart: STRIMZI_CHART,
    version: strimziVersion(settings),
    targetNamespace: settings.namespace,
    createNamespace: true,
    valuesContent: stringify(mergeValues(ours, settings.values)),
  });
}

function storage(settings: KafkaSettings): Values {
  const s = settings.storage;
  if (s.type === 'ephemeral') return { type: 'ephemeral', sizeLimit: s.size };
  return { type: 'persistent-claim', size: s.size, class: s.storageClass, deleteClaim: s.deleteClaim };
}

export function nodePool(settings: KafkaSettings, sizing: KafkaSizing): Values {
  const memory = `${sizing.memoryMiB}Mi`;
  const spec: Values = {
    replicas: sizing.replicas,
    roles: ['controller', 'broker'],
    storage: storage(settings),
    resources: { requests: { cpu: `${sizing.cpuMilli}m`, memory }, limits: { memory } },
    jvmOptions: { '-Xms': `${sizing.heapMiB}m`, '-Xmx': `${sizing.heapMiB}m` },
  };
  if (sizing.replicas > 1) {
    // One Kafka node per machine, or a replication factor of 3 protects against nothing.
    spec.template = {
      pod: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                labelSelector: { matchLabels: { 'strimzi.io/cluster': settings.clusterName, 'strimzi.io/pool-name': NODE_POOL_NAME } },
                topologyKey: 'kubernetes.io/hostname',
              },
            ],
          },
        },
      },
    };
  }
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaNodePool',
    metadata: { name: NODE_POOL_NAME, namespace: settings.namespace, labels: { 'strimzi.io/cluster': settings.clusterName } },
    spec,
  };
}

export function kafkaCluster(settings: KafkaSettings, sizing: KafkaSizing): Values {
  const rf = sizing.replicationFactor;
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'Kafka',
    metadata: { name: settings.clusterName, namespace: settings.namespace },
    spec: {
      kafka: {
        version: kafkaVersion(settings),
        listeners: [{ name: 'plain', port: PLAIN_PORT, type: 'internal', tls: false }],
        config: {
          'offsets.topic.replication.factor': rf,
          'transaction.state.log.replication.factor': rf,
          'transaction.state.log.min.isr': sizing.minInsync,
          'default.replication.factor': rf,
          'min.insync.replicas': sizing.minInsync,
        },
      },
      entityOperator: {
        topicOperator: {
          resources: { requests: { cpu: `${TOPIC_OPERATOR.cpuMilli}m`, memory: `${TOPIC_OPERATOR.memoryMiB}Mi` }, limits: { memory: `${TOPIC_OPERATOR.memoryMiB}Mi` } },
          jvmOptions: { '-Xms': TOPIC_OPERATOR.heap, '-Xmx': TOPIC_OPERATOR.heap },
        },
      },
    },
  };
}

/** What the operator file must show before the node pool and the Kafka are written: the chart, the operator, its CRDs. */
export function operatorReadiness(settings: KafkaSettings): ReadinessCheck[] {
  return [
    { kind: 'helmchart', namespace: 'kube-system', name: 'strimzi-kafka-operator' },
    { kind: 'deployment', namespace: settings.namespace, name: STRIMZI_OPERATOR_DEPLOYMENT },
    { kind: 'crd', name: 'kafkas.kafka.strimzi.io' },
    { kind: 'crd', name: 'kafkanodepools.kafka.strimzi.io' },
  ];
}

export function strimziReadiness(settings: KafkaSettings): ReadinessCheck[] {
  return [
    ...operatorReadiness(settings),
    { kind: 'condition', resource: 'kafkas.kafka.strimzi.io', namespace: settings.namespace, name: settings.clusterName, condition: 'Ready' },
  ];
}

export function strimziImages(settings: KafkaSettings): AddonImage[] {
  const strimzi = strimziVersion(settings);
  return [
    { ref: `quay.io/strimzi/operator:${strimzi}`, overrideKey: 'addons.kafka.version', component: 'strimzi-operator' },
    { ref: `quay.io/strimzi/kafka:${strimzi}-kafka-${kafkaVersion(settings)}`, overrideKey: 'addons.kafka.kafkaVersion', component: 'kafka' },
  ];
}

export function strimziFootprint(sizing: KafkaSizing): AddonFootprint[] {
  return [
    { memoryMiB: OPERATOR.memoryMiB, cpuMilli: OPERATOR.cpuMilli, replicas: 1 },
    { memoryMiB: sizing.memoryMiB, cpuMilli: sizing.cpuMilli, replicas: sizing.replicas },
    { memoryMiB: TOPIC_OPERATOR.memoryMiB, cpuMilli: TOPIC_OPERATOR.cpuMilli, replicas: 1 },
  ];
}
