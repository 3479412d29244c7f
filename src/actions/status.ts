import { ExitCode } from '../errors.js';
import { statusPhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import type { CommandContext, StatusOptions } from './options.js';
import { closeAll, createRunContext, loadOrFail } from './session.js';

export { statusRow } from '../phases/status.js';

/** `kbootstrap status`: one round trip per node, plus the cluster's view from the first server. */
export async function statusAction(cmd: CommandContext, _opts: StatusOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const ctx = createRunContext(cmd, inv, { dryRun: true });
  try {
    await runPhases(ctx, statusPhases);
    return ctx.states.some((s) => s.error) ? ExitCode.partialFailure : ExitCode.ok;
  } finally {
    await closeAll(ctx);
  }
}
