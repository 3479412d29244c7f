import type { Inventory } from '../../../src/inventory/schema.js';
import { KafkaAddonSchema, OpenWhiskAddonSchema } from '../../../src/inventory/schema-addons-stream.js';
import type { AddonClusterFacts, AddonInput } from '../../../src/addons/types.js';

/** MemTotal a 4 GB Pi 4 reports (gpu_mem 16). */
export const PI4_4GB_MIB = 3796;

/** A cluster of `count` nodes: the first a server, the rest agents. */
export function cluster(count: number, opts: { arch?: string; memoryMiB?: number; labels?: Record<string, string>[] } = {}): AddonClusterFacts {
  return {
    architectures: [opts.arch ?? 'arm64'],
    serverIp: '10.77.4.10',
    k3sVersion: 'v1.34.2+k3s1',
    dataDir: '/var/lib/rancher/k3s',
    nodes: Array.from({ length: count }, (_, i) => ({
      name: i === 0 ? 'kmaster' : `knode${i}`,
      role: i === 0 ? ('server' as const) : ('agent' as const),
      memoryMiB: opts.memoryMiB ?? PI4_4GB_MIB,
      labels: opts.labels?.[i] ?? {},
    })),
  };
}

/** The addons section with these settings parsed by their schemas (what schema.ts holds once wired). */
export function input(settings: { kafka?: unknown; openwhisk?: unknown; eventing?: boolean }, facts: AddonClusterFacts): AddonInput {
  const addons: Record<string, unknown> = {};
  if (settings.kafka !== undefined) addons.kafka = KafkaAddonSchema.parse(settings.kafka);
  if (settings.openwhisk !== undefined) addons.openwhisk = OpenWhiskAddonSchema.parse(settings.openwhisk);
  if (settings.eventing) addons['knative-eventing'] = { enabled: true, values: {} };
  return { addons: addons as Inventory['addons'], cluster: facts };
}
