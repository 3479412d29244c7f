import type { ServerSnapshot } from '../facts/types.js';
import type { NodeState, RunContext } from './context.js';

/**
 * The first server's snapshot (its tokens, k3s.yaml and node list, read in its facts round trip) while
 * it still says what a new read would: nothing was changed on that server and it was not rebooted in this
 * run. Otherwise undefined, and the caller reads live as before.
 */
export function serverSnapshot(state: NodeState): ServerSnapshot | undefined {
  return state.serverSnapshot && state.changes === 0 && !state.rebooted ? state.serverSnapshot : undefined;
}

/** The snapshot's node list, only while no node of the run changed or rebooted (a change may re-register a node). */
export function snapshotNodesJson(ctx: RunContext, server: NodeState): Promise<string | undefined> | undefined {
  if (ctx.states.some((s) => s.changes > 0 || s.rebooted)) return undefined;
  return serverSnapshot(server)?.nodesJson;
}
