import type { CommandContext, InitOptions } from '../cli/options.js';
import { confirmChanges } from '../cli/confirm.js';
import { ExitCode } from '../errors.js';
import { discoverPhases, initPhases, preparePhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import type { RunContext } from '../phases/context.js';
import { closeAll, createRunContext, finish, loadOrFail } from './session.js';

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
  ctx.offline = opts.offline === true;
  try {
    await runPhases(ctx, discoverPhases);
    if (ctx.states.every((s) => s.error)) return finish(ctx);
    if (!ctx.dryRun && !cmd.options.yes && !opts.skipPrepare) {
      if (!(await previewAndConfirm(cmd, ctx))) return ExitCode.ok;
    }
    ctx.confirm = (summary) => confirmChanges(summary, cmd, { question: 'Remove these addons from the cluster?' });
    await runPhases(ctx, initPhases({ skipPrepare: opts.skipPrepare, skipAddons: opts.skipAddons }));
    if (!ctx.dryRun && ctx.shared.kubeconfigPath) {
      ctx.log.emit({ kind: 'message', level: 'info', text: `next: kubectl --kubeconfig ${ctx.shared.kubeconfigPath} get nodes` });
    }
    return finish(ctx);
  } finally {
    await closeAll(ctx);
  }
}

/** Shows what preparing the nodes would change (from the facts already gathered) and asks. */
async function previewAndConfirm(cmd: CommandContext, ctx: RunContext): Promise<boolean> {
  ctx.dryRun = true;
  await runPhases(ctx, preparePhases());
  ctx.dryRun = false;
  const pending = ctx.states.filter((s) => !s.error && s.changes > 0).map((s) => `${s.node.name}: ${s.changes} change(s)`);
  for (const s of ctx.states) Object.assign(s, { changes: 0, rebootRequired: false, rebootReasons: [] });
  const summary = pending.length > 0 ? `Planned: ${pending.join('; ')}; then k3s ${ctx.inventory.k3s.version} on every node.` : `The nodes are prepared; next: k3s ${ctx.inventory.k3s.version}.`;
  return confirmChanges(summary, cmd);
}
