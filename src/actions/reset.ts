import type { CommandContext, ResetOptions } from './options.js';
import { confirmChanges } from '../cli/confirm.js';
import { ExitCode } from '../errors.js';
import { connectPhase, disconnectPhase } from '../phases/connect.js';
import { factsPhase } from '../phases/facts.js';
import { runPerNode, runPhases } from '../phases/manager.js';
import { uninstallAndRestore } from '../phases/restore.js';
import { closeAll, createRunContext, finish, loadOrFail, withRunLock } from './session.js';

/**
 * `kbootstrap reset`: after a confirmation, uninstalls k3s from every node (agents first) and restores
 * every file kbootstrap changed. Network and boot files take effect at the next reboot.
 */
export async function resetAction(cmd: CommandContext, _opts: ResetOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const ctx = createRunContext(cmd, inv);
  try {
    if (!ctx.dryRun && !(await confirmChanges(`This uninstalls k3s from ${inv.nodes.length} node(s) of ${inv.cluster.name} and restores the files kbootstrap changed. The cluster's data is lost.`, cmd, { question: `Reset cluster ${inv.cluster.name}?` }))) {
      return ExitCode.ok;
    }
    await runPhases(ctx, [connectPhase, factsPhase]);
    const live = ctx.states.filter((s) => !s.error);
    await withRunLock(ctx, 'reset', async () => {
      await runPerNode(ctx, 'reset', live.filter((s) => s.node.role === 'agent'), (s) => uninstallAndRestore(ctx, s));
      await runPerNode(ctx, 'reset', live.filter((s) => s.node.role === 'server'), (s) => uninstallAndRestore(ctx, s));
    });
    cmd.log.emit({ kind: 'message', level: 'info', text: 'restored network and boot files take effect at the next reboot of each node' });
    await runPhases(ctx, [disconnectPhase]);
    return finish(ctx);
  } finally {
    await closeAll(ctx);
  }
}
