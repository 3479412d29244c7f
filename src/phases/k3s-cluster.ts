import { UserError } from '../errors.js';
import { AGENT_TOKEN_PATH, agentTokenSecret, installK3s, readToken, type JoinInfo } from './k3s-install.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import type { NodeState, RunContext } from './context.js';

export function servers(ctx: RunContext): NodeState[] {
  return ctx.states.filter((s) => s.node.role === 'server');
}

/** The bootstrap server: the first server of the inventory. Everything else joins it. */
export function firstServer(ctx: RunContext): NodeState {
  const first = servers(ctx)[0];
  if (!first) throw new UserError('the inventory has no server node', { hint: 'give one node `role: server`' });
  return first;
}

export function serverAddress(state: NodeState): string {
  return state.node.target?.ip ?? state.host ?? state.node.connect.host;
}

export function ensureFirstServerUp(ctx: RunContext): NodeState {
  const first = firstServer(ctx);
  if (first.error) throw new UserError(`the first server ${first.node.name} failed, so no other node can join`, { where: { node: first.node.name } });
  return first;
}

/**
 * The first server starts (cluster-init with HA), then further servers join one at a time so etcd
 * membership grows by one member at a time.
 */
export const k3sServersPhase: Phase = {
  title: 'k3s servers',
  select: (ctx) => servers(ctx).filter((s) => !s.error),
  async run(ctx, nodes) {
    const first = ensureFirstServerUp(ctx);
    const agentToken = await agentTokenSecret(ctx, first);
    await runPerNode(ctx, 'k3s-server', [first], async (state) => {
      await installK3s(ctx, state, { clusterInit: ctx.inventory.k3s.ha, agentToken });
    });
    ensureFirstServerUp(ctx);
    ctx.shared.serverUrl = `https://${serverAddress(first)}:6443`;
    if (!ctx.dryRun || first.facts?.k3s.installed) {
      ctx.shared.token = await readToken(ctx, first);
      ctx.shared.agentToken = await readToken(ctx, first, AGENT_TOKEN_PATH);
    }
    const join: JoinInfo = { serverUrl: ctx.shared.serverUrl, token: ctx.shared.token ?? '<token of the first server>', agentToken };
    await runPerNode(ctx, 'k3s-server', nodes.filter((s) => s !== first), (state) => installK3s(ctx, state, join).then(() => undefined), 1);
  },
};

// Agents: k3s-rolling.ts (fresh ones in parallel, in-cluster ones whose k3s changes drained and rolled).
