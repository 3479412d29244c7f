// Placeholder created by the CLI helper so the program compiles; the lead replaces this file.
import type { CommandContext, StatusOptions } from '../cli/options.js';
import { InternalError, type ExitCode } from '../errors.js';

export async function statusAction(_ctx: CommandContext, _opts: StatusOptions): Promise<ExitCode> {
  throw new InternalError('not wired yet');
}
