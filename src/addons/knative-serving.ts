import { minKubernetesOf } from '../inventory/addons.js';
import { DEFAULT_ADDON_VERSIONS } from '../inventory/schema-addons.js';
import { knativeRelease, releaseAsset } from './release-files.js';
import { configMapPatchStep, valuesPatchSteps } from './steps.js';
import type { AddonFootprint, AddonImage, AddonInput, AddonModule, AddonRender, AddonStep, ReadinessCheck } from './types.js';

export const KOURIER_INGRESS_CLASS = 'kourier.ingress.networking.knative.dev';
const NS = 'knative-serving';

/** The CRDs of serving-crds.yaml the core needs (serving-core holds an `Image` CR). */
export const SERVING_CRDS = [
  'services.serving.knative.dev',
  'configurations.serving.knative.dev',
  'revisions.serving.knative.dev',
  'routes.serving.knative.dev',
  'images.caching.internal.knative.dev',
];

/** Deployments of serving-core and kourier.yaml, with their requests (release YAML of knative-v1.23; kbootstrap's reading). */
const WORKLOADS: { namespace: string; name: string; memoryMiB: number; cpuMilli: number }[] = [
  { namespace: NS, name: 'activator', memoryMiB: 60, cpuMilli: 300 },
  { namespace: NS, name: 'autoscaler', memoryMiB: 100, cpuMilli: 100 },
  { namespace: NS, name: 'controller', memoryMiB: 100, cpuMilli: 100 },
  { namespace: NS, name: 'webhook', memoryMiB: 100, cpuMilli: 100 },
  { namespace: NS, name: 'net-kourier-controller', memoryMiB: 100, cpuMilli: 100 },
  { namespace: 'kourier-system', name: '3scale-kourier-gateway', memoryMiB: 100, cpuMilli: 200 },
];

type Settings = NonNullable<AddonInput['addons']['knative-serving']>;

/** The domain of Knative services: the inventory's, else sslip.io on the first server's IP. */
export function servingDomain(input: AddonInput, s: Settings): string {
  return s.domain ?? `${input.cluster.serverIp}.sslip.io`;
}

function steps(input: AddonInput, s: Settings): AddonStep[] {
  const tls = s.tls && input.addons['cert-manager']?.enabled === true;
  const network: Record<string, string> = { 'ingress-class': KOURIER_INGRESS_CLASS };
  if (tls) network['external-domain-tls'] = 'Enabled';
  const out = [
    configMapPatchStep(NS, 'config-network', network, tls ? 'Kourier as the ingress, HTTPS through cert-manager' : 'Kourier as the ingress'),
    configMapPatchStep(NS, 'config-domain', { [servingDomain(input, s)]: '' }, s.domain ? 'the inventory\'s domain' : 'sslip.io on the first server\'s IP'),
  ];
  if (tls) out.push(configMapPatchStep(NS, 'config-certmanager', { issuerRef: 'kind: ClusterIssuer\nname: letsencrypt-prod\n' }, 'certificates from Let\'s Encrypt'));
  return [...out, ...valuesPatchSteps(NS, s.values)];
}

function images(tag: string): AddonImage[] {
  const serving = ['activator', 'autoscaler', 'controller', 'webhook', 'queue'].map((c) => ({
    ref: `gcr.io/knative-releases/knative.dev/serving/cmd/${c}:${tag.replace(/^knative-/, '')}`,
    component: c === 'queue' ? 'queue-proxy' : c,
    overrideKey: c === 'queue' ? 'addons.knative-serving.values.config-deployment.queue-sidecar-image' : 'addons.knative-serving.mirror',
  }));
  return [
    ...serving,
    { ref: `gcr.io/knative-releases/knative.dev/net-kourier/cmd/kourier:${tag.replace(/^knative-/, '')}`, component: 'net-kourier-controller', overrideKey: 'addons.knative-serving.mirror' },
    { ref: 'docker.io/envoyproxy/envoy:v1.37-latest', component: 'kourier-gateway', overrideKey: 'addons.knative-serving.mirror' },
  ];
}

export function renderKnativeServing(input: AddonInput): AddonRender {
  const { settings: s, version, tag, opts } = knativeRelease(input, 'knative-serving');
  const webhook: ReadinessCheck = { kind: 'webhook', namespace: NS, service: 'webhook' };
  const footprint: AddonFootprint[] = WORKLOADS.map((w) => ({ memoryMiB: w.memoryMiB, cpuMilli: w.cpuMilli, replicas: 1 }));
  return {
    name: 'knative-serving',
    version,
    manifests: [],
    assets: [
      releaseAsset({ path: `knative/serving/releases/download/${tag}/serving-crds.yaml`, fileName: 'knative-serving-crds.yaml', waitAfter: SERVING_CRDS.map((name) => ({ kind: 'crd', name })) }, opts),
      releaseAsset({ path: `knative/serving/releases/download/${tag}/serving-core.yaml`, fileName: 'knative-serving-core.yaml' }, opts),
      releaseAsset({ path: `knative-extensions/net-kourier/releases/download/${tag}/kourier.yaml`, fileName: 'knative-serving-kourier.yaml' }, opts),
    ],
    steps: steps(input, s),
    readiness: [...WORKLOADS.map((w): ReadinessCheck => ({ kind: 'deployment', namespace: w.namespace, name: w.name })), webhook],
    images: images(tag),
    footprint,
    notes: [`Knative services answer at http://<name>.<namespace>.${servingDomain(input, s)} (Kourier on ports 80/443 of every node)`],
  };
}

export const knativeServingAddon: AddonModule = {
  name: 'knative-serving',
  defaultVersion: DEFAULT_ADDON_VERSIONS['knative-serving'],
  minKubernetes: minKubernetesOf('knative-serving', DEFAULT_ADDON_VERSIONS['knative-serving']),
  needs: (input) => (input.addons['knative-serving']?.tls ? ['cert-manager'] : []),
  render: renderKnativeServing,
};
