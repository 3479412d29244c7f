import type { CommandContext, InitOptions } from '../cli/options.js';
import { confirmChanges } from '../cli/confirm.js';
import { ExitCode } from '../errors.js';
import { connectPhase, disconnectPhase } from '../phases/connect.js';
import { discoverPhases, initPhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import type { RunContext } from '../phases/context.js';
import { closeAll, createRunContext, finish, loadOrFail, startRunLock, withRunLock } from './session.js';

/**
 * `kbootstrap init`: connect, gather facts, validate the fleet, then (after a yes) prepare the nodes,
 * reboot where needed, verify, install k3s, join the nodes and write the kubeconfig. Re-running
 * converges: nodes that are already right get no change.
 */
export async function initAction(cmd: CommandContext, opts: InitOptions): Promise<ExitCode> {
  // A password typed at the wizard's prompt comes as a value, on top of this process's environment.
  const env = opts.secretValues ? { ...process.env, ...opts.secretValues } : process.env;
  const inv = await loadOrFail(cmd, cmd.options.inventory, env);
  if (opts.concurrency) inv.prepare.concurrency = opts.concurrency;
  const ctx = createRunContext(cmd, inv, { env });
  ctx.rolling = { maxUnavailable: opts.maxUnavailable ?? 1 };
  ctx.offline = opts.offline === true;
  try {
    await runPhases(ctx, [connectPhase]);
    // The lock is asked for while the facts are gathered (in parallel, on the first server's connection).
    const early = ctx.dryRun ? undefined : startRunLock(ctx, 'init');
    await runPhases(ctx, discoverPhases.filter((p) => p !== connectPhase));
    if (ctx.states.every((s) => s.error)) {
      await (await early?.catch(() => undefined))?.release().catch(() => undefined);
      return finish(ctx);
    }
    const done = await withRunLock(ctx, 'init', async () => {
      if (!ctx.dryRun && !cmd.options.yes) {
        if (!(await previewAndConfirm(cmd, ctx, opts))) return false;
      }
      ctx.confirm = (summary) => confirmChanges(summary, cmd, { question: 'Remove these addons from the cluster?' });
      await runPhases(ctx, initPhases({ skipPrepare: opts.skipPrepare, skipAddons: opts.skipAddons }).filter((p) => p !== disconnectPhase));
      return true;
    }, early);
    if (!done) return ExitCode.ok;
    await runPhases(ctx, [disconnectPhase]);
    if (!ctx.dryRun && ctx.shared.kubeconfigPath) {
      ctx.log.emit({ kind: 'message', level: 'info', text: `next: kubectl --kubeconfig ${ctx.shared.kubeconfigPath} get nodes` });
    }
    return finish(ctx);
  } finally {
    await closeAll(ctx);
  }
}

/**
 * Shows everything the run would change (SSH key, preparation, reboots, k3s, kubeconfig: the same
 * phases under dry-run, from the facts already gathered; nothing is downloaded or written) and asks.
 * --skip-prepare still asks: it only leaves the preparation out of the preview and the run.
 */
async function previewAndConfirm(cmd: CommandContext, ctx: RunContext, opts: InitOptions): Promise<boolean> {
  ctx.dryRun = true;
  try {
    await runPhases(ctx, initPhases({ skipPrepare: opts.skipPrepare, skipAddons: opts.skipAddons }).filter((p) => p !== disconnectPhase));
  } finally {
    ctx.dryRun = false;
  }
  const pending = ctx.states
    .filter((s) => !s.error && s.changes > 0)
    .map((s) => `${s.node.name}: ${s.changes} change(s)${s.rebootRequired ? ', then a reboot' : ''}`);
  for (const s of ctx.states) Object.assign(s, { changes: 0, rebootRequired: false, rebootReasons: [] });
  const summary = pending.length > 0 ? `Planned (listed above): ${pending.join('; ')}.` : 'Nothing to change: every node is prepared and k3s is configured.';
  return confirmChanges(summary, cmd);
}
