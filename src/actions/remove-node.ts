import { type ExitCode, UserError } from '../errors.js';
import { removeNodeCommandPhases } from '../phases/lists.js';
import type { CommandContext, RemoveNodeOptions } from './options.js';
import { createRunContext, loadOrFail, runCommand } from './session.js';

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
  return runCommand(ctx, 'remove-node', removeNodeCommandPhases({ name: target.name, drain: opts.drain, cluster: inv.cluster.name }));
}
