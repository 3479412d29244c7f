import type { AddonRender } from './types.js';

/** Memory a node keeps for the OS and k3s itself before any addon pod (kbootstrap's estimate for a Pi 4). */
export const RESERVED_MIB = { server: 1024, agent: 512 } as const;

export interface FitNode {
  name: string;
  role: 'server' | 'agent';
  /** What kind of machine, for grouping ("rpi4"). */
  board: string;
  memoryMiB: number;
}

function kindOf(n: FitNode): string {
  return `${n.board} with ${Math.round(n.memoryMiB / 1024)} GB`;
}

/**
 * Adds up the addons' memory requests and compares them with what the nodes have left after the OS
 * and k3s, per node kind: a warning when the kind's nodes together cannot hold them, or when one pod
 * asks more than one such node has. Nodes with unknown memory (no facts) are left out.
 */
export function resourceFitWarnings(renders: AddonRender[], nodes: FitNode[]): string[] {
  const known = nodes.filter((n) => n.memoryMiB > 0);
  if (known.length === 0 || renders.length === 0) return [];
  const total = renders.reduce((sum, r) => sum + r.footprint.reduce((s, f) => s + f.memoryMiB * f.replicas, 0), 0);
  const biggest = renders.flatMap((r) => r.footprint.map((f) => ({ addon: r.name, memoryMiB: f.memoryMiB }))).sort((a, b) => b.memoryMiB - a.memoryMiB)[0];
  const kinds = new Map<string, FitNode[]>();
  for (const n of known) kinds.set(kindOf(n), [...(kinds.get(kindOf(n)) ?? []), n]);
  const free = (n: FitNode) => Math.max(0, n.memoryMiB - RESERVED_MIB[n.role]);
  const allFree = known.reduce((s, n) => s + free(n), 0);
  const out: string[] = [];
  if (total > allFree) {
    out.push(`the addons request ${total} MiB of memory, but the ${known.length} node(s) have about ${allFree} MiB left after the OS and k3s: pods will stay Pending`);
  }
  for (const [kind, group] of kinds) {
    const groupFree = group.reduce((s, n) => s + free(n), 0);
    const perNode = Math.min(...group.map(free));
    if (biggest && biggest.memoryMiB > perNode) {
      out.push(`${kind}: one ${biggest.addon} pod requests ${biggest.memoryMiB} MiB, more than such a node has free (~${perNode} MiB)`);
    } else if (total > groupFree && kinds.size > 1) {
      out.push(`${kind}: the ${group.length} node(s) of this kind have ~${groupFree} MiB free, less than the addons' ${total} MiB: they need the other nodes too`);
    }
  }
  return out;
}
