import { stringify } from 'yaml';
import { DEFAULT_ADDON_VERSIONS } from '../inventory/schema-addons.js';
import { helmChart, toYaml } from './helmchart.js';
import { applyStep } from './steps.js';
import type { AddonImage, AddonInput, AddonModule, AddonRender, AddonStep, ReadinessCheck } from './types.js';

export const CERT_MANAGER_NAMESPACE = 'cert-manager';
export const CLOUDFLARE_SECRET = 'cloudflare-api-token';
/** The key under which the phase passes the Cloudflare API token in AddonInput.secrets. */
export const CLOUDFLARE_TOKEN_SECRET_KEY = 'cert-manager.cloudflareApiToken';
/** The key under which the phase passes a local chart (base64) in AddonInput.files. */
export const CHART_FILE_KEY = 'cert-manager.chartFile';

export const LETSENCRYPT = {
  'letsencrypt-staging': 'https://acme-staging-v02.api.letsencrypt.org/directory',
  'letsencrypt-prod': 'https://acme-v02.api.letsencrypt.org/directory',
} as const;

const COMPONENTS = ['controller', 'webhook', 'cainjector', 'acmesolver', 'startupapicheck'] as const;
/** Chart value that holds each component's image repository. */
const IMAGE_VALUE: Record<(typeof COMPONENTS)[number], string> = {
  controller: 'image.repository',
  webhook: 'webhook.image.repository',
  cainjector: 'cainjector.image.repository',
  acmesolver: 'acmesolver.image.repository',
  startupapicheck: 'startupapicheck.image.repository',
};

type Settings = NonNullable<AddonInput['addons']['cert-manager']>;

function settingsOf(input: AddonInput): Settings {
  const s = input.addons['cert-manager'];
  if (!s) throw new Error('cert-manager is not in the inventory');
  return s;
}

function get(values: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), values);
}

/** Chart values: CRDs installed and kept by the chart, then the inventory's values on top. */
export function certManagerValues(s: Settings): Record<string, unknown> {
  const crds = { enabled: true, keep: true, ...((s.values.crds as Record<string, unknown>) ?? {}) };
  return { ...s.values, crds };
}

function issuers(s: Settings): object[] {
  return Object.entries(LETSENCRYPT).map(([name, server]) => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name },
    spec: {
      acme: {
        email: s.email,
        server,
        privateKeySecretRef: { name: `${name}-account-key` },
        solvers: [
          s.challenge === 'dns01-cloudflare'
            ? { dns01: { cloudflare: { apiTokenSecretRef: { name: CLOUDFLARE_SECRET, key: 'api-token' } } } }
            : { http01: { ingress: s.ingressClass ? { ingressClassName: s.ingressClass } : {} } },
        ],
      },
    },
  }));
}

/** The Secret for DNS-01 (ClusterIssuers read it from cert-manager's own namespace). */
export function cloudflareSecret(token: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: CLOUDFLARE_SECRET, namespace: CERT_MANAGER_NAMESPACE },
    type: 'Opaque',
    stringData: { 'api-token': token },
  };
}

function steps(input: AddonInput, s: Settings): AddonStep[] {
  if (!s.issuers || !s.email) return [];
  const out: AddonStep[] = [];
  if (s.challenge === 'dns01-cloudflare') {
    const token = input.secrets?.[CLOUDFLARE_TOKEN_SECRET_KEY] ?? '';
    out.push(applyStep(`store the Cloudflare API token as Secret ${CERT_MANAGER_NAMESPACE}/${CLOUDFLARE_SECRET}`, [cloudflareSecret(token) as never], { secret: true }));
  }
  out.push(applyStep(`create ClusterIssuers ${Object.keys(LETSENCRYPT).join(' and ')} (${s.challenge}, contact ${s.email})`, issuers(s) as never[]));
  return out;
}

function images(s: Settings, version: string): AddonImage[] {
  return COMPONENTS.map((c) => {
    const repo = (get(s.values, IMAGE_VALUE[c]) as string | undefined) ?? `quay.io/jetstack/cert-manager-${c}`;
    return { ref: `${repo}:${version}`, component: c, overrideKey: `addons.cert-manager.values.${IMAGE_VALUE[c]}` };
  });
}

export function renderCertManager(input: AddonInput): AddonRender {
  const s = settingsOf(input);
  const version = s.version ?? DEFAULT_ADDON_VERSIONS['cert-manager'];
  const local = input.files?.[CHART_FILE_KEY];
  const source = local ? { chartContent: local } : { chart: 'cert-manager', repo: 'https://charts.jetstack.io', version };
  const chart = helmChart('cert-manager', {
    ...source,
    targetNamespace: CERT_MANAGER_NAMESPACE,
    createNamespace: true,
    valuesContent: stringify(certManagerValues(s), { lineWidth: 0 }),
  });
  const readiness: ReadinessCheck[] = [
    { kind: 'helmchart', namespace: 'kube-system', name: 'cert-manager' },
    ...['certificates', 'issuers', 'clusterissuers'].map((r): ReadinessCheck => ({ kind: 'crd', name: `${r}.cert-manager.io` })),
    ...['cert-manager', 'cert-manager-webhook', 'cert-manager-cainjector'].map((name): ReadinessCheck => ({ kind: 'deployment', namespace: CERT_MANAGER_NAMESPACE, name })),
    { kind: 'webhook', namespace: CERT_MANAGER_NAMESPACE, service: 'cert-manager-webhook' },
  ];
  return {
    name: 'cert-manager',
    version,
    manifests: [{ fileName: 'cert-manager.yaml', content: toYaml([chart], `cert-manager ${version}, written by kbootstrap`) }],
    assets: [],
    steps: steps(input, s),
    readiness,
    images: images(s, version),
    // The chart sets no requests; these are what the three pods use idle (kbootstrap's estimate).
    footprint: [
      { memoryMiB: 64, cpuMilli: 10, replicas: 1 },
      { memoryMiB: 32, cpuMilli: 10, replicas: 1 },
      { memoryMiB: 64, cpuMilli: 10, replicas: 1 },
    ],
    notes: s.issuers && s.email ? ['check: kubectl get clusterissuers (READY True); use letsencrypt-staging until a test certificate works'] : [],
  };
}

export const certManagerAddon: AddonModule = {
  name: 'cert-manager',
  defaultVersion: DEFAULT_ADDON_VERSIONS['cert-manager'],
  needs: () => [],
  render: renderCertManager,
};
