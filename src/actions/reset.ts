// Placeholder created by the CLI helper so the program compiles; the lead replaces this file.
import type { CommandContext, ResetOptions } from '../cli/options.js';
import { InternalError, type ExitCode } from '../errors.js';

export async function resetAction(_ctx: CommandContext, _opts: ResetOptions): Promise<ExitCode> {
  throw new InternalError('not wired yet');
}
