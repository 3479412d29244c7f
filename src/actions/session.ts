import { dirname } from 'node:path';
import type { CommandContext } from './options.js';
import { ExitCode, UserError } from '../errors.js';
import { formatProblem, loadInventory } from '../inventory/index.js';
import type { ResolvedInventory } from '../inventory/resolved.js';
import { newNodeState, type ConnectFn, type RunContext } from '../phases/context.js';
import { connectNode } from '../ssh/connect.js';
import { connectPhase } from '../phases/connect.js';
import { DeclinedError, errorMessage } from '../phases/errors.js';
import type { CommandPhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import { confirmChanges } from './confirm.js';
import { acquireRunLock, formatHolder, lockHolder, type RunLock } from '../phases/lock.js';

/**
 * Loads and validates the inventory; every problem is printed, then the run stops with exit 1. What
 * this machine lacks for the run (a variable, a key file) is an error here. `env` is process.env plus
 * any value typed at the wizard's prompt.
 */
export async function loadOrFail(cmd: CommandContext, file = cmd.options.inventory, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedInventory> {
  const result = await loadInventory(file, { env });
  for (const w of result.warnings) cmd.log.emit({ kind: 'message', level: 'warn', text: formatProblem(w) });
  if (!result.ok) {
    for (const p of result.problems) cmd.log.emit({ kind: 'message', level: 'error', text: formatProblem(p) });
    throw new UserError(`${file} has ${result.problems.length} problem(s); nothing was changed`, {
      hint: `fix them and run again; \`kbootstrap validate -i ${file}\` checks the file alone`,
    });
  }
  return result.inventory;
}

/**
 * ssh.installKey is left to the connect phase (a change like any other); under --dry-run a new host
 * key is trusted for the run but not recorded: plan and status write nothing anywhere.
 */
export function sshConnector(cmd: CommandContext, inv: ResolvedInventory, dryRun = cmd.options.dryRun, env: NodeJS.ProcessEnv = process.env): ConnectFn {
  return (node, host) =>
    connectNode({ ...node, connect: { ...node.connect, host } }, {
      baseDir: dirname(inv.file),
      env,
      installKey: false,
      recordNewHostKeys: !dryRun,
      secrets: { add: (s) => cmd.log.addSecret(s) },
      onHostKeyLearned: (k) =>
        cmd.log.emit({ kind: 'message', level: 'info', node: k.node, text: `new host key ${k.keyType} ${k.fingerprint} for ${k.host}:${k.port}, ${dryRun ? `not recorded (dry run; the real run records it in ${k.file})` : `recorded in ${k.file}`}` }),
      onWarning: (text) => cmd.log.emit({ kind: 'message', level: 'warn', node: node.name, text }),
    });
}

export function createRunContext(
  cmd: CommandContext,
  inv: ResolvedInventory,
  opts: { dryRun?: boolean; connect?: ConnectFn; only?: string[]; env?: NodeJS.ProcessEnv } = {},
): RunContext {
  const nodes = opts.only ? inv.nodes.filter((n) => opts.only!.includes(n.name)) : inv.nodes;
  const dryRun = opts.dryRun ?? cmd.options.dryRun;
  return {
    inventory: inv,
    log: cmd.log,
    dryRun,
    states: nodes.map(newNodeState),
    connect: opts.connect ?? sshConnector(cmd, inv, dryRun, opts.env),
    shared: { binaries: new Map() },
    confirm: (summary, question) => confirmChanges(summary, cmd, question),
    yes: cmd.options.yes,
    ...(cmd.stop ? { stop: cmd.stop } : {}),
  };
}

/** Per-node summary; exit 3 when some nodes failed. */
export function finish(ctx: RunContext): ExitCode {
  ctx.log.emit({
    kind: 'summary',
    nodes: ctx.states.map((s) => ({
      node: s.node.name,
      outcome: s.error ? 'failed' : s.changes > 0 ? 'changed' : 'unchanged',
      changes: s.changes,
      error: s.error ? errorMessage(s.error) : undefined,
    })),
  });
  if (ctx.stop?.requested) return ExitCode.interrupted;
  return ctx.states.some((s) => s.error) ? ExitCode.partialFailure : ExitCode.ok;
}

/**
 * Asks for the run lock now, while other work goes on (init: during the facts round trips, on the same
 * connection); withRunLock(..., early) then waits for it. A refusal surfaces there, not here.
 */
export function startRunLock(ctx: RunContext, command: string): Promise<RunLock | undefined> {
  const early = acquireRunLock(ctx, command);
  early.catch(() => undefined); // awaited (and its error thrown) by withRunLock
  return early;
}

/**
 * Runs `fn` holding the cluster's run lock (first server). Under --dry-run no lock is taken (plan writes
 * nothing); a run in progress is only mentioned, since the plan may be outdated when it ends.
 */
export async function withRunLock<T>(ctx: RunContext, command: string, fn: () => Promise<T>, early?: Promise<RunLock | undefined>): Promise<T> {
  if (ctx.dryRun) {
    const other = await lockHolder(ctx).catch(() => undefined);
    if (other) ctx.log.emit({ kind: 'message', level: 'warn', text: `a run is in progress: ${formatHolder(other)}; this plan may be outdated when it ends` });
    return fn();
  }
  const lock = await (early ?? acquireRunLock(ctx, command));
  try {
    return await fn();
  } finally {
    await lock?.release().catch((err: unknown) =>
      ctx.log.emit({ kind: 'message', level: 'warn', text: `could not release the run lock (${errorMessage(err)}); the next run from this machine takes it over, others are told how to clear it` }));
  }
}

/**
 * Runs one command's phases (phases/lists.ts) and closes every connection, even when a phase threw:
 * `before`; the end when every node failed there; `locked` holding the run lock; `after`; the summary.
 * The lock is asked for as soon as the nodes are connected, in parallel with the rest of `before` (the
 * facts round trips), and released when `before` ends the run. A no at a confirmation ends it with exit 0.
 */
export async function runCommand(ctx: RunContext, command: string, phases: CommandPhases): Promise<ExitCode> {
  let early: Promise<RunLock | undefined> | undefined;
  let handedOver = false;
  try {
    const split = phases.before.indexOf(connectPhase) + 1; // 0: no connect in `before`, no early lock
    await runPhases(ctx, phases.before.slice(0, split));
    if (split > 0 && !ctx.dryRun && phases.locked.length > 0) early = startRunLock(ctx, command);
    await runPhases(ctx, phases.before.slice(split));
    if (ctx.states.every((s) => s.error)) return finish(ctx);
    handedOver = true;
    await withRunLock(ctx, command, () => runPhases(ctx, phases.locked), early);
    await runPhases(ctx, phases.after);
    return finish(ctx);
  } catch (err) {
    if (err instanceof DeclinedError) return ExitCode.ok;
    throw err;
  } finally {
    if (early && !handedOver) await (await early.catch(() => undefined))?.release().catch(() => undefined);
    await closeAll(ctx);
  }
}

/** Closes every connection, even when a phase threw. */
export async function closeAll(ctx: RunContext): Promise<void> {
  await Promise.all(ctx.states.map((s) => s.transport?.close().catch(() => undefined)));
}
