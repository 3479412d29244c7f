import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { addonInstallOrder } from './addons.js';
import { resolveUserPath } from './paths.js';
import type { ResolvedInventory, ResolvedNode } from './resolved.js';
import { DEFAULT_PREFIX } from './rules-network.js';
import type { Inventory, NodeEntry } from './schema.js';

export const DEFAULTS = {
  user: 'pi',
  port: 22,
  knownHosts: '~/.config/kbootstrap/known_hosts',
  prefix: DEFAULT_PREFIX,
  interface: 'eth0',
  gpuMem: 16,
} as const;

export interface ResolveOptions {
  /** Decides the ssh-agent default (on when SSH_AUTH_SOCK is set). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/**
 * Merges every default into a valid inventory: node settings over top-level ones key by key, paths
 * made absolute (~ expanded, relative to the inventory), addons in install order. Secrets stay refs.
 */
export function resolveInventory(inv: Inventory, file: string, opts: ResolveOptions = {}): ResolvedInventory {
  const env = opts.env ?? process.env;
  const home = opts.homeDir ?? homedir();
  const baseDir = dirname(file);
  const path = (p: string) => resolveUserPath(p, baseDir, home);

  const nodes = inv.nodes.map((node, index): ResolvedNode => {
    const ssh = { ...inv.ssh, ...node.ssh };
    const net = { ...inv.network, ...node.network };
    return {
      name: node.name,
      role: node.role,
      board: node.board ?? inv.board,
      index,
      connect: withoutUndefined({
        host: node.address,
        port: ssh.port ?? DEFAULTS.port,
        user: ssh.user ?? DEFAULTS.user,
        privateKey: ssh.privateKey === undefined ? undefined : path(ssh.privateKey),
        agent: ssh.agent ?? Boolean(env.SSH_AUTH_SOCK),
        password: ssh.password,
        sudoPassword: ssh.sudoPassword,
        installKey: ssh.installKey === undefined ? undefined : path(ssh.installKey),
        knownHosts: path(ssh.knownHosts ?? DEFAULTS.knownHosts),
      }),
      target: targetOf(node, net),
      interface: net.interface ?? DEFAULTS.interface,
      labels: { ...node.labels },
      taints: [...node.taints],
    };
  });

  return {
    file,
    raw: inv,
    cluster: inv.cluster,
    nodes,
    k3s: inv.k3s,
    addons: addonInstallOrder(inv.addons),
    kubeconfig: { ...inv.kubeconfig, path: path(inv.kubeconfig.path), context: inv.kubeconfig.context ?? inv.cluster.name },
    prepare: { ...inv.prepare, gpuMem: inv.prepare.gpuMem ?? DEFAULTS.gpuMem },
  };
}

function targetOf(node: NodeEntry, net: Inventory['network']): ResolvedNode['target'] {
  if (!node.staticIp) return undefined;
  return withoutUndefined({
    ip: node.staticIp,
    prefix: net.prefix ?? DEFAULTS.prefix,
    gateway: net.gateway,
    dns: net.dns ?? (net.gateway ? [net.gateway] : []),
  });
}

/** Optional keys are left out rather than set to undefined, so results compare cleanly. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
