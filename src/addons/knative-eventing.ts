import { minKubernetesOf } from '../inventory/addons.js';
import { DEFAULT_ADDON_VERSIONS } from '../inventory/schema-addons.js';
import { knativeRelease, releaseAsset } from './release-files.js';
import { valuesPatchSteps } from './steps.js';
import type { AddonInput, AddonModule, AddonRender, ReadinessCheck } from './types.js';

const NS = 'knative-eventing';

export const EVENTING_CRDS = [
  'brokers.eventing.knative.dev',
  'triggers.eventing.knative.dev',
  'channels.messaging.knative.dev',
  'subscriptions.messaging.knative.dev',
];

/** Deployments of eventing-core, in-memory-channel and mt-channel-broker with their requests (kbootstrap's reading of the release). */
const WORKLOADS: { name: string; memoryMiB: number; cpuMilli: number }[] = [
  { name: 'eventing-controller', memoryMiB: 100, cpuMilli: 100 },
  { name: 'eventing-webhook', memoryMiB: 50, cpuMilli: 100 },
  { name: 'imc-controller', memoryMiB: 50, cpuMilli: 100 },
  { name: 'imc-dispatcher', memoryMiB: 50, cpuMilli: 100 },
  { name: 'mt-broker-controller', memoryMiB: 100, cpuMilli: 100 },
  { name: 'mt-broker-filter', memoryMiB: 100, cpuMilli: 100 },
  { name: 'mt-broker-ingress', memoryMiB: 100, cpuMilli: 100 },
];

export function renderKnativeEventing(input: AddonInput): AddonRender {
  const { settings: s, version, tag, opts } = knativeRelease(input, 'knative-eventing');
  const base = `knative/eventing/releases/download/${tag}`;
  const webhook: ReadinessCheck = { kind: 'webhook', namespace: NS, service: 'eventing-webhook' };
  return {
    name: 'knative-eventing',
    version,
    manifests: [],
    assets: [
      releaseAsset({ path: `${base}/eventing-crds.yaml`, fileName: 'knative-eventing-crds.yaml', waitAfter: EVENTING_CRDS.map((name) => ({ kind: 'crd', name })) }, opts),
      releaseAsset({ path: `${base}/eventing-core.yaml`, fileName: 'knative-eventing-core.yaml', waitAfter: [webhook] }, opts),
      releaseAsset({ path: `${base}/in-memory-channel.yaml`, fileName: 'knative-eventing-imc.yaml' }, opts),
      releaseAsset({ path: `${base}/mt-channel-broker.yaml`, fileName: 'knative-eventing-broker.yaml' }, opts),
    ],
    steps: valuesPatchSteps(NS, s.values),
    readiness: [...WORKLOADS.map((w): ReadinessCheck => ({ kind: 'deployment', namespace: NS, name: w.name })), webhook],
    images: ['controller', 'webhook', 'in_memory/channel_controller', 'in_memory/channel_dispatcher', 'mtchannel_broker', 'broker/filter', 'broker/ingress'].map((c) => ({
      ref: `gcr.io/knative-releases/knative.dev/eventing/cmd/${c}:${version}`,
      component: c,
      overrideKey: 'addons.knative-eventing.mirror',
    })),
    footprint: WORKLOADS.map((w) => ({ memoryMiB: w.memoryMiB, cpuMilli: w.cpuMilli, replicas: 1 })),
    notes: ['check: kubectl get brokers -A; a Broker with the default class uses the in-memory channel (messages are lost on restart)'],
  };
}

export const knativeEventingAddon: AddonModule = {
  name: 'knative-eventing',
  defaultVersion: DEFAULT_ADDON_VERSIONS['knative-eventing'],
  minKubernetes: minKubernetesOf('knative-eventing', DEFAULT_ADDON_VERSIONS['knative-eventing']),
  needs: () => [],
  render: renderKnativeEventing,
};
