import { ExitCode, UserError } from '../errors.js';
import { kubeconfigCommandPhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import type { CommandContext, KubeconfigOptions } from './options.js';
import { closeAll, createRunContext, loadOrFail } from './session.js';

/** `kbootstrap kubeconfig`: reads k3s.yaml from the first server and writes or merges it here. */
export async function kubeconfigAction(cmd: CommandContext, opts: KubeconfigOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const first = inv.nodes.find((n) => n.role === 'server');
  if (!first) throw new UserError('the inventory has no server node');
  const ctx = createRunContext(cmd, inv, { only: [first.name] });
  try {
    await runPhases(ctx, kubeconfigCommandPhases({ path: opts.output, merge: opts.output && opts.merge === undefined ? false : opts.merge, setCurrent: opts.setCurrent || undefined, context: opts.context }));
    return ExitCode.ok;
  } finally {
    await closeAll(ctx);
  }
}
