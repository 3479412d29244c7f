import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../errors.js';
import { registrationLabels } from '../k3s/label-keys.js';
import { planNodeLabels } from '../k3s/node-labels.js';
import { getFromApi } from '../k3s/api-client.js';
import { checkReadiness, GET_NODES_COMMAND, parseNodeList, type ClusterNode } from '../k3s/nodes.js';
import { change } from './change.js';
import { firstServer } from './k3s-cluster.js';
import { runPerNode, type Phase } from './manager.js';
import { waitForReadyOrMark } from './not-ready.js';
import { forgetK3sYaml, serverK3sYaml, snapshotNodesJson } from './server-snapshot.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';

const READY_TIMEOUT_MS = 300_000;

/**
 * The cluster's nodes: from the API through the server's own connection (no process started on the
 * node; k3s.yaml's credentials from the facts round trip, else read once), else, when that fails (no
 * forwarding, no k3s.yaml yet), from `k3s kubectl` on the server.
 */
export async function getClusterNodes(server: NodeState): Promise<ClusterNode[]> {
  const t = requireTransport(server);
  if (t.forward) {
    try {
      return parseNodeList(await getFromApi(t, await serverK3sYaml(server), '/api/v1/nodes'));
    } catch {
      forgetK3sYaml(server);
    }
  }
  return parseNodeList(await t.run(GET_NODES_COMMAND, { sudo: true, description: 'list the cluster nodes' }));
}

/**
 * The node list for this run's first look: the first server's snapshot (read in its facts round trip)
 * when nothing in the run changed and it shows every expected node Ready; else, and on every later
 * call, asked live.
 */
export function clusterNodesFirstFromSnapshot(ctx: RunContext, server: NodeState, expected: string[]): () => Promise<ClusterNode[]> {
  let json = snapshotNodesJson(ctx, server);
  return async () => {
    const text = await json;
    json = undefined;
    if (text !== undefined) {
      try {
        const nodes = parseNodeList(text);
        if (checkReadiness(nodes, expected).allReady) return nodes;
      } catch {
        // an unreadable snapshot: ask live
      }
    }
    return getClusterNodes(server);
  };
}

/** Polls the first server until every expected node is registered and Ready. */
export async function waitForReady(ctx: RunContext, server: NodeState, expected: string[]): Promise<ClusterNode[]> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const nodes = await getClusterNodes(server);
    const r = checkReadiness(nodes, expected);
    if (r.allReady) return nodes;
    if (Date.now() > deadline) {
      throw new UserError(`nodes not Ready after ${READY_TIMEOUT_MS / 1000} s: ${[...r.missing.map((n) => `${n} (not registered)`), ...r.notReady.map((n) => `${n} (NotReady)`)].join(', ')}`, {
        hint: 'look at `journalctl -u k3s-agent` on those nodes (or `-u k3s` on servers)',
      });
    }
    await sleep(2000);
  }
}

/** How a node not yet in the cluster will look right after it registers (its config sets labels and taints). */
function asRegistered(state: NodeState): ClusterNode {
  return { name: state.node.name, roles: [], ready: false, unschedulable: false, version: '', arch: '', labels: registrationLabels(state.node.labels), annotations: {}, taints: [...state.node.taints] };
}

/** Waits for Ready, applies label/taint differences, and prints the node table. */
export const clusterReadyPhase: Phase = {
  title: 'Cluster ready',
  async run(ctx, nodes) {
    const server = firstServer(ctx);
    if (server.error) return;
    // A node that stays NotReady fails alone (not-ready.ts): the others still get labels and the kubeconfig.
    const list = clusterNodesFirstFromSnapshot(ctx, server, nodes.map((s) => s.node.name));
    const cluster = !ctx.dryRun ? await waitForReadyOrMark(ctx, list, nodes, READY_TIMEOUT_MS) : server.facts?.k3s.serviceActive ? await list() : [];
    await runPerNode(ctx, 'labels', nodes, async (state) => {
      const current = cluster.find((n) => n.name === state.node.name) ?? (ctx.dryRun ? asRegistered(state) : undefined);
      if (!current) return;
      for (const c of planNodeLabels(current, { labels: state.node.labels, taints: state.node.taints }).changes) {
        await change(ctx, state, c.description, () => requireTransport(server).run(c.command, { sudo: true, description: c.description }).then(() => undefined));
      }
    }, 1);
    ctx.log.emit({
      kind: 'table',
      title: 'Nodes',
      columns: ['NAME', 'ROLE', 'IP', 'ARCH', 'K3S', 'READY'],
      rows: ctx.states.map((s) => {
        const n = cluster.find((c) => c.name === s.node.name);
        return [s.node.name, s.node.role, n?.internalIp ?? s.node.target?.ip ?? s.host ?? '', n?.arch ?? '', n?.version ?? '', s.error ? 'failed' : n?.ready ? 'Ready' : 'NotReady'];
      }),
    });
  },
};
