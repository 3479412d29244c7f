import { gatherNode } from '../facts/gather.js';
import { getFromApi } from '../k3s/api-client.js';
import { withInterfaceFromAddress } from '../inventory/vagrant.js';
import type { Phase } from './manager.js';
import { chooseInterface } from './default-interface.js';
import { runPerNode } from './manager.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';

/**
 * Gathers the node's facts; on the first server (opts.firstServer) also its ServerSnapshot, in the same
 * round trip. A later refresh without it drops an older snapshot (serverSnapshot() ignores it anyway
 * once the node changed).
 */
export async function refreshFacts(state: NodeState, opts: { firstServer?: boolean } = {}): Promise<void> {
  const startMs = Date.now();
  const t = requireTransport(state);
  const { facts, server } = await gatherNode(t, { firstServer: opts.firstServer === true });
  if (server && facts.k3s.serviceActive && server.kubeconfig) {
    // The node list straight from the API, through this connection, while the next phases plan; when
    // that fails the phases ask kubectl live.
    server.nodesJson = getFromApi(t, server.kubeconfig, '/api/v1/nodes').catch(() => undefined);
  }
  state.facts = facts;
  state.serverSnapshot = server;
  state.factsWindow = { startMs, endMs: Date.now() };
}

/** One round trip per node: a single script returns everything the later phases decide on. */
export const factsPhase: Phase = {
  title: 'Gather facts',
  run: (ctx: RunContext, nodes) =>
    runPerNode(ctx, 'facts', nodes, async (state) => {
      await refreshFacts(state, { firstServer: state === ctx.states.find((s) => s.node.role === 'server') });
      const f = state.facts!;
      // A Vagrant VM's default route is its NAT interface; the private network is the one its address is on.
      const vagrantNode = withInterfaceFromAddress(state.node, ctx.inventory.raw, f.interfaces);
      if (vagrantNode !== state.node) state.node = vagrantNode;
      else chooseInterface(state, f, ctx.inventory);
      ctx.log.emit({
        kind: 'node-step', node: state.node.name, phase: 'facts', status: 'done',
        text: `${f.osRelease.prettyName ?? f.osRelease.id} ${f.arch}${f.boardModel ? `, ${f.boardModel}` : ''}, network: ${f.networkStack}`,
      });
    }, nodes.length), // every node at once: the facts pass only reads
};
