import { buildDrainCommand, buildUncordonCommand } from '../k3s/node-commands.js';
import { change } from './change.js';
import { firstServer } from './k3s-cluster.js';
import { waitForReady } from './k3s-ready.js';
import { runPerNode } from './manager.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';

/** A drain that cannot finish (a PodDisruptionBudget, a stuck pod) gives up after this; the node is then left alone. */
export const DRAIN_TIMEOUT_S = 120;

/** A node already serving in the cluster: k3s installed and running on it when the run began. */
export function inCluster(state: NodeState): boolean {
  return !!state.facts?.k3s.installed && !!state.facts.k3s.serviceActive;
}

export interface RollingGroups {
  /** Not in the cluster yet: nothing to protect, all at once. */
  fresh: NodeState[];
  /** In the cluster: one at a time (etcd keeps quorum), each Ready again before the next. */
  servers: NodeState[];
  /** In the cluster: drained first, `maxUnavailable` at a time, uncordoned when Ready. */
  agents: NodeState[];
}

export function rollingGroups(nodes: NodeState[]): RollingGroups {
  const live = nodes.filter(inCluster);
  return {
    fresh: nodes.filter((s) => !inCluster(s)),
    servers: live.filter((s) => s.node.role === 'server'),
    agents: live.filter((s) => s.node.role === 'agent'),
  };
}

/**
 * Runs `disrupt` (a reboot, a k3s restart) on every node in the rolling order: fresh nodes all at once;
 * in-cluster servers one by one, waiting for Ready; in-cluster agents drained through the first server
 * (bounded), `maxUnavailable` at a time, and uncordoned once Ready again. A node whose drain fails is not
 * disrupted (its error names why) and is uncordoned again.
 */
export async function rollOut(ctx: RunContext, phase: string, nodes: NodeState[], disrupt: (state: NodeState) => Promise<void>): Promise<void> {
  const { fresh, servers, agents } = rollingGroups(nodes);
  await runPerNode(ctx, phase, fresh, disrupt, Math.max(1, fresh.length));
  await runPerNode(ctx, phase, servers, async (state) => {
    await disrupt(state);
    await readyAgain(ctx, state);
  }, 1);
  await runPerNode(ctx, phase, agents, async (state) => {
    const server = firstServer(ctx);
    const kubectl = (what: string, command: string) =>
      change(ctx, state, what, () => requireTransport(server).run(command, { sudo: true, description: what }).then(() => undefined));
    if (server.error || !server.transport) {
      ctx.log.emit({ kind: 'message', level: 'warn', node: state.node.name, text: `cannot drain ${state.node.name}: the first server ${server.node.name} is not reachable; going on without draining` });
      await disrupt(state);
      return;
    }
    try {
      await kubectl(`cordon and drain ${state.node.name} (at most ${DRAIN_TIMEOUT_S} s)`, buildDrainCommand(state.node.name, { timeoutSeconds: DRAIN_TIMEOUT_S }));
    } catch (err) {
      await requireTransport(server).exec(buildUncordonCommand(state.node.name), { sudo: true }).catch(() => undefined);
      throw new Error(`not disrupted: the drain of ${state.node.name} did not finish (${err instanceof Error ? err.message : String(err)}); its pods keep running there`);
    }
    await disrupt(state);
    await readyAgain(ctx, state);
    await kubectl(`uncordon ${state.node.name}`, buildUncordonCommand(state.node.name));
  }, Math.max(1, ctx.rolling?.maxUnavailable ?? 1));
}

/**
 * One server's turn in the servers' sequence: `apply` installs or reconfigures its k3s and says whether
 * it restarted it. A server that was serving in the cluster and restarted (an upgrade, a new config)
 * must be Ready again, as the first server's `kubectl get nodes` sees it, before the next server's
 * turn: an active service is not yet a member etcd can count on.
 */
export async function serverTurn(ctx: RunContext, state: NodeState, apply: (state: NodeState) => Promise<boolean>): Promise<void> {
  const live = inCluster(state);
  const restarted = await apply(state);
  if (restarted && live) await readyAgain(ctx, state);
}

async function readyAgain(ctx: RunContext, state: NodeState): Promise<void> {
  if (ctx.dryRun) return;
  const server = firstServer(ctx);
  const via = server.error || !server.transport ? state : server;
  await waitForReady(ctx, via, [state.node.name]);
  ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'rolling', status: 'done', text: 'Ready again' });
}
