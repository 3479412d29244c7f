import type { ExitCode } from '../errors.js';
import { planCommandPhases } from '../phases/lists.js';
import type { CommandContext, PlanOptions } from './options.js';
import { createRunContext, loadOrFail, runCommand } from './session.js';

/** `kbootstrap plan`: the init run with dryRun, so it prints exactly the changes init would make. */
export async function planAction(cmd: CommandContext, opts: PlanOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const ctx = createRunContext(cmd, inv, { dryRun: true });
  ctx.offline = opts.offline === true;
  return runCommand(ctx, 'plan', planCommandPhases());
}
