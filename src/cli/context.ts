import { chooseLogMode, createLogger } from '../log/logger.js';
import { colorWanted } from '../log/style.js';
import type { OutputStream } from '../log/views.js';
import type { CommandContext, GlobalOptions } from '../actions/options.js';
import type { StopSignal } from '../phases/interrupt.js';

/** The process around the CLI, injectable so tests run it in-process. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  /** Set by the process's signal handlers (main.ts). */
  stop?: StopSignal;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  };
}

/** What commander hands us (optsWithGlobals of the command that runs). */
export interface RawGlobalOptions {
  inventory?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export function toGlobalOptions(raw: RawGlobalOptions, io: Pick<CliIO, 'env' | 'stdinIsTTY' | 'stdoutIsTTY'>): GlobalOptions {
  const yes = raw.yes === true;
  const json = raw.json === true;
  return {
    inventory: raw.inventory ?? 'kbootstrap.yaml',
    dryRun: raw.dryRun === true,
    yes,
    json,
    verbose: raw.verbose === true,
    color: colorWanted({ flag: raw.color !== false, env: io.env, isTTY: io.stdoutIsTTY }),
    interactive: io.stdinIsTTY && io.stdoutIsTTY && !yes && !json,
  };
}

export function createContext(options: GlobalOptions, io: CliIO): CommandContext {
  const log = createLogger({
    mode: chooseLogMode({ json: options.json, stdoutIsTTY: io.stdoutIsTTY }),
    verbose: options.verbose,
    color: options.color,
    stream: io.stdout,
    errorStream: io.stderr,
  });
  // The prompt is loaded when first asked, so commands that never ask start without it.
  const ask = async (message: string) => (await import('./wizard-prompts.js')).inquirerPrompts.confirm({ message, default: false });
  return { options, log, ask, ...(io.stop ? { stop: io.stop } : {}) };
}
