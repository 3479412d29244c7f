import { UserError } from '../../errors.js';
import { OPENWHISK_COMPONENTS, type OpenWhiskComponent, type OpenWhiskImageChoice, type OpenWhiskSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonClusterFacts } from '../types.js';
import { isPlainObject, mergeValues, type Values } from '../kafka/chart.js';

/**
 * The OpenWhisk chart's values for a k3s cluster (apache/openwhisk-deploy-kube docs/k8s-diy.md and
 * values.yaml): NodePort 31001 on the first server's IP, the kubernetes container factory, persistence
 * on the default StorageClass (k3s's local-path), node roles from the `openwhisk-role` labels, and
 * every component's image from the inventory. Pure.
 */

export const OPENWHISK_NODE_PORT = 31001;
export const ROLE_LABEL = 'openwhisk-role';

export interface OpenWhiskPlacement {
  /** false: one node, or no node carries an openwhisk-role label; every pod goes where the scheduler puts it. */
  affinity: boolean;
  invokers: number;
}

export function placement(cluster: Pick<AddonClusterFacts, 'nodes'>): OpenWhiskPlacement {
  const roles = cluster.nodes.map((n) => n.labels[ROLE_LABEL]).filter((r): r is string => r !== undefined);
  if (cluster.nodes.length === 1 || roles.length === 0) return { affinity: false, invokers: 1 };
  const invokers = roles.filter((r) => r === 'invoker').length;
  const core = roles.filter((r) => r === 'core').length;
  if (invokers === 0 || core === 0) {
    const lacking = [invokers === 0 ? 'invoker' : undefined, core === 0 ? 'core' : undefined].filter(Boolean).join(' and ');
    throw new UserError(`OpenWhisk: some nodes carry the ${ROLE_LABEL} label, but none is labelled ${lacking}; the chart would leave those pods Pending`, {
      hint: `label at least one node "${ROLE_LABEL}: core" and one "${ROLE_LABEL}: invoker" under nodes[].labels, or remove the ${ROLE_LABEL} labels`,
    });
  }
  return { affinity: true, invokers };
}

function at(path: readonly string[], value: Values): Values {
  return path.reduceRight<Values>((inner, key) => ({ [key]: inner }), value);
}

export function openwhiskValues(settings: OpenWhiskSettings, cluster: Pick<AddonClusterFacts, 'nodes' | 'serverIp'>): Values {
  const where = placement(cluster);
  let ours: Values = {
    whisk: {
      ingress: { type: 'NodePort', apiHostName: cluster.serverIp, apiHostPort: OPENWHISK_NODE_PORT, apiHostProto: 'https' },
      containerPool: { userMemory: settings.invokerMemory },
    },
    k8s: { persistence: { enabled: true, hasDefaultStorageClass: true } },
    nginx: { httpsNodePort: OPENWHISK_NODE_PORT },
    invoker: { containerFactory: { impl: 'kubernetes', kubernetes: { replicaCount: where.invokers } } },
    providers: { alarm: { enabled: settings.providers }, kafka: { enabled: settings.providers } },
    affinity: { enabled: where.affinity },
    toleration: { enabled: where.affinity },
  };
  for (const c of OPENWHISK_COMPONENTS) {
    const image = settings.images[c.component];
    ours = mergeValues(ours, at(c.path, { imageName: image.imageName, imageTag: image.imageTag }));
  }
  return mergeValues(ours, settings.values);
}

/** The image each component runs with these values (the user's `values` may have set one too). */
export function imagesInValues(values: Values): OpenWhiskImageChoice {
  const out = {} as OpenWhiskImageChoice;
  for (const c of OPENWHISK_COMPONENTS) {
    let node: unknown = values;
    for (const key of c.path) node = isPlainObject(node) ? node[key] : undefined;
    const v = isPlainObject(node) ? node : {};
    out[c.component] = {
      imageName: typeof v.imageName === 'string' ? v.imageName : c.imageName,
      imageTag: typeof v.imageTag === 'string' ? v.imageTag : c.imageTag,
    };
  }
  return out;
}

/** Whether the chart runs a component with these values (the event providers can be off). */
export function runsIn(values: Values, component: OpenWhiskComponent): boolean {
  const providers = isPlainObject(values.providers) ? values.providers : {};
  const flag = (key: string) => isPlainObject(providers[key]) && (providers[key] as Values).enabled === true;
  if (component === 'alarmprovider') return flag('alarm');
  if (component === 'kafkaprovider') return flag('kafka');
  return true;
}
