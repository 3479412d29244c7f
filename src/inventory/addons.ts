import { ADDON_NAMES, type AddonName, type Inventory } from './schema.js';

type AddonsConfig = Inventory['addons'];

/** One "needs" edge between addons; `when` limits it to a setting of the dependent addon. */
export interface AddonDependency {
  addon: AddonName;
  needs: AddonName;
  reason: string;
  /** The setting that creates the edge, for messages and positions (e.g. "knativeBroker"). */
  setting?: string;
  when?: (config: AddonsConfig) => boolean;
}

/**
 * Knative Serving, Eventing, Strimzi Kafka, OpenWhisk and cert-manager each install on their own; the
 * only hard edge is the Knative Kafka broker, which is an Eventing broker implementation.
 */
export const ADDON_DEPENDENCIES: readonly AddonDependency[] = [
  {
    addon: 'kafka',
    needs: 'knative-eventing',
    setting: 'knativeBroker',
    reason: 'the Knative Kafka broker (eventing-kafka-broker) is a Knative Eventing broker',
    when: (c) => c.kafka?.knativeBroker === true,
  },
  {
    addon: 'knative-serving',
    needs: 'cert-manager',
    setting: 'tls',
    reason: 'Knative Serving gets its HTTPS certificates from cert-manager (ClusterIssuer letsencrypt-prod)',
    when: (c) => c['knative-serving']?.tls === true,
  },
];

export function isEnabled(config: AddonsConfig, name: AddonName): boolean {
  const addon = config[name];
  return addon !== undefined && addon.enabled;
}

/** Edges that apply to this configuration. */
export function activeDependencies(config: AddonsConfig): AddonDependency[] {
  return ADDON_DEPENDENCIES.filter((d) => isEnabled(config, d.addon) && (d.when?.(config) ?? true));
}

/** Enabled addons, each after what it needs; ties keep the canonical order of ADDON_NAMES. */
export function addonInstallOrder(config: AddonsConfig): AddonName[] {
  const enabled = ADDON_NAMES.filter((n) => isEnabled(config, n));
  const deps = activeDependencies(config);
  const order: AddonName[] = [];
  const visiting = new Set<AddonName>();
  const visit = (name: AddonName) => {
    if (order.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const d of deps) if (d.addon === name && enabled.includes(d.needs)) visit(d.needs);
    visiting.delete(name);
    order.push(name);
  };
  enabled.forEach(visit);
  return order;
}

/**
 * The oldest Kubernetes minor each addon release accepts, keyed by the release's minor version
 * (knative.dev/pkg/version defaultMinimumVersion: Serving 1.23 and Eventing 1.22+ refuse < 1.34).
 * Releases missing here carry no known floor.
 */
export const ADDON_MIN_KUBERNETES: Partial<Record<AddonName, Record<string, string>>> = {
  'knative-serving': { '1.23': '1.34' },
  'knative-eventing': { '1.22': '1.34', '1.23': '1.34' },
};

/** "v1.23.0", "knative-v1.23.0", "1.34.2+k3s1" → "1.23" (undefined for channel names). */
export function minorOf(version: string): string | undefined {
  const m = /^(?:knative-)?v?(\d+)\.(\d+)(?:\.|$|-|\+)/.exec(version);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

export function compareMinor(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am !== bm ? am! - bm! : an! - bn!;
}

/** The Kubernetes floor of an addon at a version (the default when none is pinned). */
export function minKubernetesOf(name: AddonName, version: string): string | undefined {
  const minor = minorOf(version);
  return minor ? ADDON_MIN_KUBERNETES[name]?.[minor] : undefined;
}
