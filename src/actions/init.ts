import type { ExitCode } from '../errors.js';
import { initCommandPhases } from '../phases/lists.js';
import type { InitOptions, CommandContext } from './options.js';
import { createRunContext, loadOrFail, runCommand } from './session.js';

/**
 * `kbootstrap init`: connect, gather facts, validate the fleet, then (after a yes) prepare the nodes,
 * reboot where needed, verify, install k3s, join the nodes and write the kubeconfig. Re-running
 * converges: nodes that are already right get no change. The steps: initCommandPhases (phases/lists.ts).
 */
export async function initAction(cmd: CommandContext, opts: InitOptions): Promise<ExitCode> {
  // A password typed at the wizard's prompt comes as a value, on top of this process's environment.
  const env = opts.secretValues ? { ...process.env, ...opts.secretValues } : process.env;
  const inv = await loadOrFail(cmd, cmd.options.inventory, env);
  if (opts.concurrency) inv.prepare.concurrency = opts.concurrency;
  const ctx = createRunContext(cmd, inv, { env });
  ctx.rolling = { maxUnavailable: opts.maxUnavailable ?? 1 };
  ctx.offline = opts.offline === true;
  return runCommand(ctx, 'init', initCommandPhases({ skipPrepare: opts.skipPrepare, skipAddons: opts.skipAddons }));
}
