import type { ExitCode } from '../errors.js';
import { resetCommandPhases } from '../phases/lists.js';
import type { CommandContext, ResetOptions } from './options.js';
import { createRunContext, loadOrFail, runCommand } from './session.js';

/**
 * `kbootstrap reset`: after a confirmation, uninstalls k3s from every node (agents first) and restores
 * every file kbootstrap changed. Network and boot files take effect at the next reboot.
 */
export async function resetAction(cmd: CommandContext, _opts: ResetOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const ctx = createRunContext(cmd, inv);
  return runCommand(ctx, 'reset', resetCommandPhases({ name: inv.cluster.name, nodes: inv.nodes.length }));
}
