import type { CommandContext, PlanOptions } from './options.js';
import type { ExitCode } from '../errors.js';
import { discoverPhases, initPhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import { closeAll, createRunContext, finish, loadOrFail, withRunLock } from './session.js';

/** `kbootstrap plan`: the init run with dryRun, so it prints exactly the changes init would make. */
export async function planAction(cmd: CommandContext, opts: PlanOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const ctx = createRunContext(cmd, inv, { dryRun: true });
  ctx.offline = opts.offline === true;
  try {
    await runPhases(ctx, discoverPhases);
    await withRunLock(ctx, 'plan', () => runPhases(ctx, initPhases()));
    return finish(ctx);
  } finally {
    await closeAll(ctx);
  }
}
