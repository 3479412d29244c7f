// Placeholder created by the CLI helper so the program compiles; the lead replaces this file.
import type { CommandContext, InitOptions } from '../cli/options.js';
import { InternalError, type ExitCode } from '../errors.js';

export async function initAction(_ctx: CommandContext, _opts: InitOptions): Promise<ExitCode> {
  throw new InternalError('not wired yet');
}
