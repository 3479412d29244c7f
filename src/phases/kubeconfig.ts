import { installKubeconfig, planKubeconfig } from '../kubeconfig/write.js';
import { change } from './change.js';
import { firstServer, serverAddress } from './k3s-cluster.js';
import type { Phase } from './manager.js';
import { requireTransport, type RunContext } from './context.js';

export interface KubeconfigTarget {
  path: string;
  merge: boolean;
  setCurrent: boolean;
  context: string;
}

export function kubeconfigTarget(ctx: RunContext, override: Partial<KubeconfigTarget> = {}): KubeconfigTarget {
  const k = ctx.inventory.kubeconfig;
  return { path: k.path, merge: k.merge, setCurrent: k.setCurrent, context: k.context, ...stripUndefined(override) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Reads k3s.yaml from the first server (never logged) and writes the laptop's kubeconfig, 0600, as a
 * change of the first server's run: planned (nothing written) under --dry-run, skipped when the file
 * already holds it. Before k3s runs there (a plan on fresh nodes) the line is planned from the target.
 */
export async function fetchKubeconfig(ctx: RunContext, target: KubeconfigTarget): Promise<string> {
  const server = firstServer(ctx);
  const where = target.merge ? 'merge' : 'write';
  if (ctx.dryRun && !server.facts?.k3s.installed) {
    await change(ctx, server, `${where} kubeconfig context "${target.context}" ${target.merge ? 'into' : 'to'} ${target.path} (on this workstation)`, async () => undefined);
    return target.path;
  }
  const k3sYaml = await requireTransport(server).run('cat /etc/rancher/k3s/k3s.yaml', { sudo: true, description: 'read /etc/rancher/k3s/k3s.yaml' });
  const opts = {
    k3sYaml,
    context: target.context,
    server: ctx.inventory.kubeconfig.server ?? serverAddress(server),
    path: target.path,
    merge: target.merge,
    setCurrent: target.setCurrent,
  };
  const plan = await planKubeconfig(opts);
  if (plan.unchanged) {
    ctx.log.emit({ kind: 'message', level: 'info', text: `kubeconfig: context "${plan.context}" in ${plan.path} is up to date` });
    return plan.path;
  }
  const what = [plan.added.length > 0 ? `adds ${plan.added.join(', ')}` : '', plan.replaced.length > 0 ? `replaces ${plan.replaced.join(', ')}` : ''].filter(Boolean).join('; ');
  await change(ctx, server, `${where} kubeconfig context "${plan.context}" ${target.merge ? 'into' : 'to'} ${plan.path} (on this workstation${what ? `: ${what}` : ''})`, async () => {
    const result = await installKubeconfig(opts);
    if (result.backupPath) ctx.log.emit({ kind: 'message', level: 'info', text: `kubeconfig: backup of the previous file: ${result.backupPath}` });
  });
  return plan.path;
}

export function kubeconfigPhase(override: Partial<KubeconfigTarget> = {}): Phase {
  return {
    title: 'Kubeconfig',
    select: (ctx) => (firstServer(ctx).error ? [] : [firstServer(ctx)]),
    async run(ctx) {
      const target = kubeconfigTarget(ctx, override);
      const path = await fetchKubeconfig(ctx, target);
      if (!ctx.dryRun) ctx.shared.kubeconfigPath = path;
    },
  };
}
