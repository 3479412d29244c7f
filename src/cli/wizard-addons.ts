import type { AddonName, Board } from '../inventory/schema.js';

/**
 * What an addon asks of the nodes, for the wizard to leave out what the cluster cannot run. Data
 * from the upstream projects (see FACTS.md "Addons"); an addon without an entry runs anywhere k3s does.
 */
interface AddonNeeds {
  /** Node architectures its default images are published for. */
  arches?: readonly string[];
  archWhy?: string;
  /** Memory of each node it needs, in GB. */
  nodeGb?: number;
  memoryWhy?: string;
}

export const ADDON_NEEDS: Partial<Record<AddonName, AddonNeeds>> = {
  openwhisk: {
    arches: ['amd64'],
    archWhy: 'its Apache images are published for amd64 only (apache/openwhisk#5503)',
    nodeGb: 4,
    memoryWhy: 'it wants about 4 GB on each worker',
  },
  kafka: {
    nodeGb: 4,
    memoryWhy: 'one Kafka broker with the Strimzi operator is already tight on 4 GB nodes',
  },
};

/** The CPU architecture of a board kind, where the kind tells (Pis are arm64 with the 64-bit OS kbootstrap supports). */
export const BOARD_ARCH: Record<Board, string | undefined> = { rpi4: 'arm64', rpi5: 'arm64', vagrant: 'amd64', generic: undefined };

/** Memory the wizard proposes for a board kind, in GB (a Pi 4 comes with 1 to 8; 4 is the usual one). */
export const BOARD_MEMORY_GB: Record<Board, number> = { rpi4: 4, rpi5: 8, vagrant: 2, generic: 4 };

/** Why the cluster cannot run `name`, or undefined when it can. */
export function whyNotOffered(name: AddonName, cluster: { arches: readonly string[]; nodeGb?: number }): string | undefined {
  const needs = ADDON_NEEDS[name];
  if (!needs) return undefined;
  const foreign = needs.arches ? cluster.arches.filter((a) => !needs.arches!.includes(a)) : [];
  if (foreign.length > 0) return `${needs.archWhy ?? `it runs on ${needs.arches!.join(', ')} only`} and the nodes are ${foreign.join(', ')}`;
  if (needs.nodeGb !== undefined && cluster.nodeGb !== undefined && cluster.nodeGb < needs.nodeGb) {
    return `${needs.memoryWhy ?? `it needs ${needs.nodeGb} GB per node`}; the nodes have ${cluster.nodeGb} GB`;
  }
  return undefined;
}
