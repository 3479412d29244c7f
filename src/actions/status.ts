import type { CommandContext, StatusOptions } from '../cli/options.js';
import { ExitCode } from '../errors.js';
import type { NodeFacts } from '../facts/types.js';
import type { ResolvedNode } from '../inventory/resolved.js';
import { connectPhase, disconnectPhase } from '../phases/connect.js';
import { factsPhase } from '../phases/facts.js';
import { firstServer } from '../phases/k3s-cluster.js';
import { getClusterNodes } from '../phases/k3s-ready.js';
import { runPhases } from '../phases/manager.js';
import { parseNodeList, type ClusterNode } from '../k3s/nodes.js';
import { closeAll, createRunContext, loadOrFail } from './session.js';

function addresses(f: NodeFacts): string[] {
  return f.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!));
}

export function statusRow(node: ResolvedNode, facts: NodeFacts | undefined, cluster: ClusterNode[] | undefined, error?: Error): string[] {
  if (!facts) return [node.name, node.role, node.connect.host, 'unreachable', '', '', '', error?.message ?? ''];
  const ip = node.target ? (addresses(facts).includes(node.target.ip) ? node.target.ip : `${node.target.ip} (not yet)`) : addresses(facts)[0] ?? '';
  const member = cluster?.find((n) => n.name === node.name);
  return [
    node.name,
    node.role,
    ip,
    facts.hostname === node.name ? facts.hostname : `${facts.hostname} (want ${node.name})`,
    `${facts.osRelease.codename ?? facts.osRelease.id} ${facts.arch}`,
    facts.k3s.installed ? `${facts.k3s.version ?? '?'}${facts.k3s.serviceActive ? '' : ' (stopped)'}` : 'not installed',
    member ? (member.ready ? 'Ready' : 'NotReady') : facts.k3s.installed ? 'not registered' : '-',
    '',
  ];
}

/** `kbootstrap status`: one round trip per node, plus the cluster's view from the first server. */
export async function statusAction(cmd: CommandContext, _opts: StatusOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const ctx = createRunContext(cmd, inv, { dryRun: true });
  try {
    await runPhases(ctx, [connectPhase, factsPhase]);
    const server = firstServer(ctx);
    // The node list came with the first server's facts (same round trip); asked again only when it did not.
    const listed = server.serverSnapshot?.nodesJson;
    const cluster = server.transport && server.facts?.k3s.serviceActive
      ? await (listed ? Promise.resolve().then(() => parseNodeList(listed)) : getClusterNodes(server)).catch(() => undefined)
      : undefined;
    const rows = ctx.states.map((s) => statusRow(s.node, s.facts, cluster, s.error));
    cmd.log.emit({ kind: 'table', title: `Cluster ${inv.cluster.name}`, columns: ['NAME', 'ROLE', 'IP', 'HOSTNAME', 'OS', 'K3S', 'CLUSTER', 'ERROR'], rows });
    cmd.log.emit({ kind: 'result', command: 'status', data: { nodes: rows.map((r) => Object.fromEntries(['name', 'role', 'ip', 'hostname', 'os', 'k3s', 'cluster', 'error'].map((k, i) => [k, r[i]]))) } });
    await runPhases(ctx, [disconnectPhase]);
    return ctx.states.some((s) => s.error) ? ExitCode.partialFailure : ExitCode.ok;
  } finally {
    await closeAll(ctx);
  }
}
