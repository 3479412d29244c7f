import type { NodeFacts } from '../facts/types.js';
import type { ResolvedNode } from '../inventory/resolved.js';
import { parseNodeList, type ClusterNode } from '../k3s/nodes.js';
import { firstServer } from './k3s-cluster.js';
import { getClusterNodes } from './k3s-ready.js';
import type { Phase } from './manager.js';
import { snapshotNodesJson } from './server-snapshot.js';

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

/** status's report: one table of every node, with the cluster's view from the first server (read only). */
export const statusReportPhase: Phase = {
  title: 'Status',
  quiet: true,
  select: (ctx) => ctx.states,
  async run(ctx) {
    const server = firstServer(ctx);
    // The node list came with the first server's facts (same round trip); asked again only when it did not.
    const listed = await snapshotNodesJson(ctx, server);
    const cluster = server.transport && server.facts?.k3s.serviceActive
      ? await (listed ? Promise.resolve().then(() => parseNodeList(listed)) : getClusterNodes(server)).catch(() => undefined)
      : undefined;
    const rows = ctx.states.map((s) => statusRow(s.node, s.facts, cluster, s.error));
    ctx.log.emit({ kind: 'table', title: `Cluster ${ctx.inventory.cluster.name}`, columns: ['NAME', 'ROLE', 'IP', 'HOSTNAME', 'OS', 'K3S', 'CLUSTER', 'ERROR'], rows });
    ctx.log.emit({ kind: 'result', command: 'status', data: { nodes: rows.map((r) => Object.fromEntries(['name', 'role', 'ip', 'hostname', 'os', 'k3s', 'cluster', 'error'].map((k, i) => [k, r[i]]))) } });
  },
};
