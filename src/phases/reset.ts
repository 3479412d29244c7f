import { buildDeleteNodeCommand, buildDrainCommand } from '../k3s/node-commands.js';
import { change } from './change.js';
import { requireTransport, type NodeState } from './context.js';
import { firstServer } from './k3s-cluster.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import { uninstallAndRestore } from './restore.js';

/** reset's steps: agents leave before the servers they talk to (uninstall k3s, restore their files). */
function resetPhase(role: 'agent' | 'server', title: string): Phase {
  return {
    title,
    select: (ctx) => ctx.states.filter((s) => !s.error && s.node.role === role),
    run: (ctx, nodes) => runPerNode(ctx, 'reset', nodes, (s) => uninstallAndRestore(ctx, s)),
  };
}

export const resetAgentsPhase = resetPhase('agent', 'Reset agents');
export const resetServersPhase = resetPhase('server', 'Reset servers');

/** remove-node: every other node joins through the first server, so without it nothing is removed. */
export const firstServerNeededPhase: Phase = {
  title: 'First server',
  quiet: true,
  select: (ctx) => [firstServer(ctx)],
  run: async (_ctx, [server]) => {
    if (server?.error) throw server.error;
  },
};

/**
 * remove-node: drain the node (unless --no-drain) and delete it from the cluster, through the first
 * server; k3s drops a server's etcd member with it. Runs for an unreachable node too: the cluster
 * forgets it all the same. A failure here stops the run before anything is uninstalled.
 */
export function leaveClusterPhase(name: string, opts: { drain: boolean }): Phase {
  return {
    title: 'Leave the cluster',
    select: (ctx) => ctx.states.filter((s) => s.node.name === name),
    async run(ctx, [node]) {
      const server = firstServer(ctx);
      const kubectl = (state: NodeState, what: string, command: string) =>
        change(ctx, state, what, () => requireTransport(server).run(command, { sudo: true, description: what }).then(() => undefined));
      if (opts.drain) await kubectl(node!, `drain ${name}`, buildDrainCommand(name));
      await kubectl(node!, `delete ${name} from the cluster`, buildDeleteNodeCommand(name));
    },
  };
}

/** remove-node, last step: uninstall k3s on the node and restore the files kbootstrap changed there. */
export function uninstallNodePhase(name: string): Phase {
  return {
    title: 'Uninstall',
    select: (ctx) => ctx.states.filter((s) => !s.error && s.node.name === name),
    run: (ctx, nodes) => runPerNode(ctx, 'remove', nodes, (s) => uninstallAndRestore(ctx, s)),
  };
}
