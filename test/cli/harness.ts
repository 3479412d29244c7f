import { vi } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { CliIO } from '../../src/cli/context.js';
import type { CliActions } from '../../src/cli/program.js';
import type { CommandContext } from '../../src/actions/options.js';
import { runCli } from '../../src/cli/run.js';
import { collector } from '../log/collect.js';

/** Runs the CLI in-process with string streams; `actions` default to spies that return 0. */
export async function cli(args: string[], opts: { actions?: Partial<CliActions>; tty?: boolean; env?: Record<string, string> } = {}) {
  const stdout = collector(opts.tty ?? false);
  const stderr = collector(opts.tty ?? false);
  const io: CliIO = { stdout, stderr, env: opts.env ?? {}, stdinIsTTY: opts.tty ?? false, stdoutIsTTY: opts.tty ?? false };
  const calls: { name: string; ctx: CommandContext; opts: unknown }[] = [];
  const spy = (name: keyof CliActions) =>
    vi.fn(async (ctx: CommandContext, o: unknown) => {
      calls.push({ name, ctx, opts: o });
      return ExitCode.ok;
    });
  const actions: CliActions = {
    init: spy('init'),
    plan: spy('plan'),
    status: spy('status'),
    kubeconfig: spy('kubeconfig'),
    reset: spy('reset'),
    removeNode: spy('removeNode'),
    forgetHostKey: spy('forgetHostKey'),
    validate: spy('validate'),
    schema: spy('schema'),
    addons: spy('addons'),
    ...opts.actions,
  };
  const code = await runCli(args, io, actions);
  return { code, out: stdout.text(), err: stderr.text(), calls };
}
