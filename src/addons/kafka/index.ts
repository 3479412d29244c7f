import { UserError } from '../../errors.js';
import { kafkaSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonInput, AddonModule, AddonRender } from '../types.js';
import { brokerAssets, brokerChecksumRefusal, brokerFootprint, brokerManifests, brokerReadiness, brokerSteps, brokerVersion } from './broker.js';
import { toYaml } from '../helmchart.js';
import { kafkaSizing } from './sizing.js';
import {
  CLUSTER_FILE,
  OPERATOR_FILE,
  STRIMZI_DEFAULT_VERSION,
  bootstrapService,
  kafkaCluster,
  operatorReadiness,
  nodePool,
  operatorHelmChart,
  strimziFootprint,
  strimziImages,
  strimziReadiness,
  strimziVersion,
} from './strimzi.js';

/**
 * Kafka through Strimzi, and with `knativeBroker` the Knative Kafka broker on top. The operator is a
 * HelmChart; the node pool and the Kafka are a manifest the deploy controller applies once the chart's
 * CRDs exist (a failed file is retried every 15 s); readiness ends with the Kafka's `Ready` condition.
 */
export const kafkaAddon: AddonModule = {
  name: 'kafka',
  defaultVersion: STRIMZI_DEFAULT_VERSION,
  minKubernetes: '1.30',
  needs(input: AddonInput) {
    return kafkaSettings(input.addons.kafka).knativeBroker ? ['knative-eventing'] : [];
  },
  render(input: AddonInput): AddonRender {
    const settings = kafkaSettings(input.addons.kafka);
    const sizing = kafkaSizing(settings, input.cluster);
    const render: AddonRender = {
      name: 'kafka',
      version: strimziVersion(settings),
      manifests: [
        { fileName: OPERATOR_FILE, content: toYaml([operatorHelmChart(settings)]), waitAfter: operatorReadiness(settings) },
        { fileName: CLUSTER_FILE, content: toYaml([nodePool(settings, sizing), kafkaCluster(settings, sizing)]) },
      ],
      assets: [],
      steps: [],
      readiness: strimziReadiness(settings),
      images: strimziImages(settings),
      footprint: strimziFootprint(sizing),
      notes: [
        `Kafka ${settings.clusterName}: ${sizing.replicas} node(s), heap ${sizing.heapMiB} MiB, replication factor ${sizing.replicationFactor}, min.insync.replicas ${sizing.minInsync}, ${settings.storage.type} storage; bootstrap ${bootstrapService(settings)}`,
      ],
    };
    if (settings.knativeBroker) {
      // Refused here, so the preflight stops plan and init before any change (not after Eventing is in).
      const assets = brokerAssets(settings);
      const refusal = brokerChecksumRefusal(settings, assets);
      if (refusal) throw new UserError(refusal.message, { hint: refusal.hint });
      render.assets.push(...assets);
      render.manifests.push(...brokerManifests(settings, sizing.replicationFactor));
      render.steps.push(...brokerSteps(settings, sizing.replicationFactor));
      render.readiness.push(...brokerReadiness());
      render.footprint.push(...brokerFootprint());
      render.notes.push(
        `Knative Kafka broker ${brokerVersion(settings)}: create a Broker with the annotation eventing.knative.dev/broker.class: Kafka${settings.broker.defaultClass ? ' (the cluster default class)' : ''}`,
      );
    }
    return render;
  },
};
