import { CommanderError } from 'commander';
import { ExitCode, formatWhere, UserError } from '../errors.js';
import type { Logger } from '../log/events.js';
import { createLogger } from '../log/logger.js';
import { InterruptedError } from '../phases/interrupt.js';
import type { CliIO } from './context.js';
import { buildProgram, type CliActions, type CliSession } from './program.js';

/**
 * Runs the command line and returns the exit code; never throws. The one top-level catch: user errors
 * become `error:` / `at` / `hint:` lines (exit 1, or their own code), commander's usage errors exit 2,
 * anything else is a bug (exit 70, stack only under --verbose).
 */
export async function runCli(args: readonly string[], io: CliIO, actions: CliActions): Promise<ExitCode> {
  const session: CliSession = {};
  try {
    await buildProgram(io, actions, session).parseAsync([...args], { from: 'user' });
    return session.exitCode ?? ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    const verbose = session.ctx?.options.verbose ?? args.some((a) => a === '-v' || a === '--verbose');
    const log = session.ctx?.log ?? createLogger({ mode: 'plain', verbose, color: false, stream: io.stderr, errorStream: io.stderr });
    return reportError(err, log, verbose);
  } finally {
    session.ctx?.log.close();
  }
}

export function reportError(err: unknown, log: Logger, verbose: boolean): ExitCode {
  if (err instanceof UserError) {
    const node = err.where?.node;
    const where = formatWhere(err.where ? { ...err.where, node: undefined } : undefined);
    log.emit({ kind: 'error', message: err.message, exitCode: err.exitCode, ...(node ? { node } : {}), ...(where ? { where } : {}), ...(err.hint ? { hint: err.hint } : {}) });
    return err.exitCode;
  }
  if (err instanceof InterruptedError) {
    log.emit({ kind: 'error', message: err.message, exitCode: ExitCode.interrupted });
    return ExitCode.interrupted;
  }
  // Ctrl+C at a prompt: @inquirer rejects with ExitPromptError. Nothing was changed after it.
  if (err instanceof Error && err.name === 'ExitPromptError') {
    log.emit({ kind: 'error', message: 'aborted at a prompt', exitCode: ExitCode.userError });
    return ExitCode.userError;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  log.emit({
    kind: 'error',
    message: `internal error: ${e.message}`,
    exitCode: ExitCode.internal,
    hint: verbose ? 'this is a bug in kbootstrap; please report it with the output above' : 'this is a bug in kbootstrap; run again with --verbose for the stack and report it',
    ...(verbose && e.stack ? { stack: e.stack } : {}),
  });
  return ExitCode.internal;
}
