import { installKubeconfig } from '../kubeconfig/write.js';
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

/** Reads k3s.yaml from the first server (never logged) and writes the laptop's kubeconfig, 0600. */
export async function fetchKubeconfig(ctx: RunContext, target: KubeconfigTarget): Promise<string> {
  const server = firstServer(ctx);
  const k3sYaml = await requireTransport(server).run('cat /etc/rancher/k3s/k3s.yaml', { sudo: true, description: 'read /etc/rancher/k3s/k3s.yaml' });
  const result = await installKubeconfig({
    k3sYaml,
    context: target.context,
    server: ctx.inventory.kubeconfig.server ?? serverAddress(server),
    path: target.path,
    merge: target.merge,
    setCurrent: target.setCurrent,
  });
  ctx.log.emit({
    kind: 'message', level: 'info',
    text: result.unchanged
      ? `kubeconfig: context "${result.context}" in ${result.path} is up to date`
      : `kubeconfig: context "${result.context}" ${target.merge ? 'merged into' : 'written to'} ${result.path}${result.backupPath ? ` (backup: ${result.backupPath})` : ''}`,
  });
  return result.path;
}

export function kubeconfigPhase(override: Partial<KubeconfigTarget> = {}): Phase {
  return {
    title: 'Kubeconfig',
    select: (ctx) => (ctx.dryRun || firstServer(ctx).error ? [] : [firstServer(ctx)]),
    async run(ctx) {
      const target = kubeconfigTarget(ctx, override);
      ctx.shared.kubeconfigPath = await fetchKubeconfig(ctx, target);
    },
  };
}
