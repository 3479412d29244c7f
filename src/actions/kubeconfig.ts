// Placeholder created by the CLI helper so the program compiles; the lead replaces this file.
import type { CommandContext, KubeconfigOptions } from '../cli/options.js';
import { InternalError, type ExitCode } from '../errors.js';

export async function kubeconfigAction(_ctx: CommandContext, _opts: KubeconfigOptions): Promise<ExitCode> {
  throw new InternalError('not wired yet');
}
