import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import { clockSkewProblems, type ClockSample } from './clock-skew.js';
import { duplicateMachineIdProblems, hostnameProblems, staticIpProblems } from './fleet-rules.js';
import { nodeProblems } from './node-rules.js';
import type { Problem } from './problem.js';

export interface FleetEntry {
  node: ResolvedNode;
  facts: NodeFacts;
  /** Workstation clock (ms) at the middle of the facts round trip; without it the node's clock is not compared. */
  clockSampledAtMs?: number;
  /** Workstation clock when the facts call started and ended: gives the sample time and its uncertainty. */
  clockWindowMs?: { startMs: number; endMs: number };
}

export interface FleetProbes {
  /** Static IP → who answers it (a MAC, or 'ping'); see ip-probe.ts. */
  ipInUse?: Map<string, string>;
  /** The static-IP check could not run (e.g. no ping and no bash on the probing node). */
  ipCheckSkipped?: { node: string; reason: string };
}

/**
 * Every problem on every node, before anything changes: per-node checks (sudo, OS, architecture,
 * memory, disk, interface, memory cgroup, network stack) and fleet checks (cloned machine-ids,
 * hostnames, clock skew, static IPs in use). Pure; ordered by node as in the inventory, errors first.
 */
export function validateFleet(entries: FleetEntry[], inv: ResolvedInventory, probes: FleetProbes = {}): Problem[] {
  const problems: Problem[] = [
    ...entries.flatMap((e) => nodeProblems(e.node, e.facts, inv)),
    ...duplicateMachineIdProblems(entries),
    ...hostnameProblems(entries),
    ...clockSkewProblems(entries.flatMap(clockSample)),
    ...staticIpProblems(entries, probes.ipInUse),
  ];
  if (probes.ipCheckSkipped && entries.some((e) => e.node.target)) {
    problems.push({
      node: probes.ipCheckSkipped.node,
      severity: 'warning',
      message: `could not check whether the static IPs are free: ${probes.ipCheckSkipped.reason}`,
      hint: 'install iputils-ping on the node, or make sure yourself that no other host uses those addresses',
    });
  }
  const order = new Map(inv.nodes.map((n, i) => [n.name, i]));
  const rank = (p: Problem) => (order.get(p.node) ?? Number.MAX_SAFE_INTEGER) * 2 + (p.severity === 'error' ? 0 : 1);
  return problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}

function clockSample(e: FleetEntry): ClockSample[] {
  if (!Number.isFinite(e.facts.clockMs)) return [];
  if (e.clockWindowMs) {
    const { startMs, endMs } = e.clockWindowMs;
    return [{ node: e.node.name, nodeMs: e.facts.clockMs, sampledAtMs: (startMs + endMs) / 2, uncertaintyMs: Math.max(0, endMs - startMs) / 2 }];
  }
  if (e.clockSampledAtMs === undefined) return [];
  return [{ node: e.node.name, nodeMs: e.facts.clockMs, sampledAtMs: e.clockSampledAtMs, uncertaintyMs: 0 }];
}
