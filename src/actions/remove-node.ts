// Placeholder created by the CLI helper so the program compiles; the lead replaces this file.
import type { CommandContext, RemoveNodeOptions } from '../cli/options.js';
import { InternalError, type ExitCode } from '../errors.js';

export async function removeNodeAction(_ctx: CommandContext, _opts: RemoveNodeOptions): Promise<ExitCode> {
  throw new InternalError('not wired yet');
}
