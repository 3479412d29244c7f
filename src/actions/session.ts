import { dirname } from 'node:path';
import type { CommandContext } from './options.js';
import { ExitCode, UserError } from '../errors.js';
import { formatProblem, loadInventory } from '../inventory/index.js';
import type { ResolvedInventory } from '../inventory/resolved.js';
import { newNodeState, type ConnectFn, type RunContext } from '../phases/context.js';
import { connectNode } from '../ssh/connect.js';
import { DeclinedError, errorMessage } from '../phases/errors.js';
import type { CommandPhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import { confirmChanges } from './confirm.js';
import { checkLockSeen, lazyRunLock, lockSeen } from '../phases/lock.js';

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
 * Runs one command's phases (phases/lists.ts) and closes every connection, even when a phase threw:
 * `before`; the end when every node failed there; `locked`, where the first change takes the cluster's
 * run lock (a run that changes nothing never writes it); `after`, once the lock is released; the
 * summary. Under --dry-run no lock is taken. A no at a confirmation ends the run with exit 0.
 */
export async function runCommand(ctx: RunContext, command: string, phases: CommandPhases): Promise<ExitCode> {
  let lock: ReturnType<typeof lazyRunLock> | undefined;
  try {
    await runPhases(ctx, phases.before);
    if (ctx.states.every((s) => s.error)) return finish(ctx);
    lock = lazyRunLock(ctx, command, lockSeen(ctx)?.generation);
    await checkLockSeen(ctx, lock);
    await runPhases(ctx.dryRun ? ctx : Object.assign(ctx, { holdLock: lock.hold }), phases.locked);
    delete ctx.holdLock;
    await releaseLock(ctx, lock);
    await runPhases(ctx, phases.after);
    return finish(ctx);
  } catch (err) {
    if (err instanceof DeclinedError) return ExitCode.ok;
    throw err;
  } finally {
    delete ctx.holdLock;
    if (lock) await releaseLock(ctx, lock);
    await closeAll(ctx);
  }
}

/** Gives the lock back if this run took it (once: a second call finds nothing to release). */
async function releaseLock(ctx: RunContext, lock: { release: () => Promise<void> }): Promise<void> {
  await lock.release().catch((err: unknown) =>
    ctx.log.emit({ kind: 'message', level: 'warn', text: `could not release the run lock (${errorMessage(err)}); the next run from this machine takes it over, others are told how to clear it` }));
}

/** Closes every connection, even when a phase threw. */
export async function closeAll(ctx: RunContext): Promise<void> {
  await Promise.all(ctx.states.map((s) => s.transport?.close().catch(() => undefined)));
}
