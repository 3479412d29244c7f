// Placeholder created by the CLI helper so the program compiles; the lead replaces this file.
import type { CommandContext, PlanOptions } from '../cli/options.js';
import { InternalError, type ExitCode } from '../errors.js';

export async function planAction(_ctx: CommandContext, _opts: PlanOptions): Promise<ExitCode> {
  throw new InternalError('not wired yet');
}
