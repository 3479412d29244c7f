import { installKubeconfig, planKubeconfig } from '../kubeconfig/write.js';
import { change } from './change.js';
import { resolveKubeconfigPath } from '../kubeconfig/paths.js';
import { firstServer, serverAddress } from './k3s-cluster.js';
import type { Phase } from './manager.js';
import type { RunContext } from './context.js';
import { serverK3sYaml } from './server-snapshot.js';

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
  const describe = (path: string) => `${target.merge ? 'merge' : 'write'} kubeconfig context "${target.context}" ${target.merge ? 'into' : 'to'} ${path} (on this workstation)`;
  if (ctx.dryRun && !server.facts?.k3s.installed) {
    const path = resolveKubeconfigPath(target.path, { merge: target.merge });
    await change(ctx, server, describe(path), async () => undefined);
    return path;
  }
  const k3sYaml = await serverK3sYaml(server);
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
  if (what) ctx.log.emit({ kind: 'message', level: 'debug', text: `kubeconfig ${plan.path}: ${what}` });
  await change(ctx, server, describe(plan.path), async () => {
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
