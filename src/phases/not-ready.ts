import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../errors.js';
import { checkReadiness, type ClusterNode } from '../k3s/nodes.js';
import { stopRequested } from './interrupt.js';
import type { NodeState, RunContext } from './context.js';

/** KBOOTSTRAP_READY_TIMEOUT (seconds) shortens or lengthens the wait: slow boards, or tests of a node held NotReady. */
export function readyTimeoutMs(defaultMs: number, env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.KBOOTSTRAP_READY_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : defaultMs;
}

/**
 * Waits until the nodes are registered and Ready; at the deadline a node that is not fails ALONE, its
 * error naming what it reported, and the others go on (labels, kubeconfig): the run ends with exit 3.
 * Returns the cluster's node list as last seen.
 */
export async function waitForReadyOrMark(ctx: RunContext, list: () => Promise<ClusterNode[]>, nodes: NodeState[], defaultTimeoutMs: number, pollMs = 2000): Promise<ClusterNode[]> {
  const timeoutMs = readyTimeoutMs(defaultTimeoutMs);
  const expected = nodes.map((s) => s.node.name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cluster = await list();
    const r = checkReadiness(cluster, expected);
    if (r.allReady) return cluster;
    if (Date.now() >= deadline || stopRequested(ctx)) {
      for (const state of nodes) {
        const seen = cluster.find((n) => n.name === state.node.name);
        if (seen?.ready) continue;
        const reported = seen ? `NotReady (${seen.notReadyReason ?? 'no reason given'})` : 'not registered with the cluster';
        state.error = new UserError(`${state.node.name} is ${reported} after ${Math.round(timeoutMs / 1000)} s`, {
          where: { node: state.node.name },
          hint: `look at \`journalctl -u ${state.node.role === 'server' ? 'k3s' : 'k3s-agent'}\` on ${state.node.name}; the other nodes are done, run again once it is fixed`,
        });
        ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'ready', status: 'failed', text: state.error.message });
      }
      return cluster;
    }
    await sleep(pollMs);
  }
}
