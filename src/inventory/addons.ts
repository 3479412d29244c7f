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
