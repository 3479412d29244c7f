import type { CommandContext, RemoveNodeOptions } from './options.js';
import { confirmChanges } from '../cli/confirm.js';
import { ExitCode, UserError } from '../errors.js';
import { buildDeleteNodeCommand, buildDrainCommand } from '../k3s/node-commands.js';
import { change } from '../phases/change.js';
import { connectPhase, disconnectPhase } from '../phases/connect.js';
import { factsPhase } from '../phases/facts.js';
import { firstServer } from '../phases/k3s-cluster.js';
import { runPerNode, runPhases } from '../phases/manager.js';
import { uninstallAndRestore } from '../phases/restore.js';
import { requireTransport } from '../phases/context.js';
import { closeAll, createRunContext, finish, loadOrFail, withRunLock } from './session.js';

/**
 * `kbootstrap remove-node NAME`: drain it, delete it from the cluster (k3s drops a server's etcd
 * member with it), uninstall k3s on it and restore the files kbootstrap changed there.
 */
export async function removeNodeAction(cmd: CommandContext, opts: RemoveNodeOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const target = inv.nodes.find((n) => n.name === opts.name);
  if (!target) throw new UserError(`no node named ${opts.name} in ${inv.file}`, { hint: `nodes: ${inv.nodes.map((n) => n.name).join(', ')}` });
  const first = inv.nodes.find((n) => n.role === 'server');
  if (!first || first.name === target.name) {
    throw new UserError(`${target.name} is the first server: every other node joins through it`, { hint: 'use `kbootstrap reset` to take the whole cluster down' });
  }
  const ctx = createRunContext(cmd, inv, { only: [first.name, target.name] });
  try {
    if (!ctx.dryRun && !(await confirmChanges('', cmd, { question: `Remove ${target.name} from ${inv.cluster.name}?` }))) return ExitCode.ok;
    await runPhases(ctx, [connectPhase, factsPhase]);
    const server = firstServer(ctx);
    const node = ctx.states.find((s) => s.node.name === target.name)!;
    if (server.error) throw server.error;
    const kubectl = (what: string, command: string) =>
      change(ctx, node, what, () => requireTransport(server).run(command, { sudo: true, description: what }).then(() => undefined));
    await withRunLock(ctx, 'remove-node', async () => {
      if (opts.drain) await kubectl(`drain ${target.name}`, buildDrainCommand(target.name));
      await kubectl(`delete ${target.name} from the cluster`, buildDeleteNodeCommand(target.name));
      await runPerNode(ctx, 'remove', [node], (s) => uninstallAndRestore(ctx, s));
    });
    await runPhases(ctx, [disconnectPhase]);
    return finish(ctx);
  } finally {
    await closeAll(ctx);
  }
}
