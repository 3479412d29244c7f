import { UserError } from '../errors.js';
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

// Servers: k3s-servers.ts. Agents: k3s-rolling.ts (fresh ones in parallel, in-cluster ones whose k3s changes drained and rolled).
