import type { NodeFacts } from '../../src/facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../../src/inventory/resolved.js';
import { makeFacts } from '../support/facts-factory.js';

export function node(name: string, role: 'server' | 'agent', index: number, ip: string | undefined, extra: Partial<ResolvedNode> = {}): ResolvedNode {
  return {
    name,
    role,
    board: 'rpi4',
    index,
    connect: { host: `192.168.1.${100 + index}`, port: 22, user: 'pi', agent: false, knownHosts: '/tmp/known_hosts' },
    target: ip ? { ip, prefix: 24, gateway: '10.77.0.1', dns: ['10.77.0.1'] } : undefined,
    interface: 'eth0',
    labels: {},
    taints: [],
    ...extra,
  };
}

/** A 1 server + 2 agents cluster (or 3 servers with ha). */
export function inventory(opts: { ha?: boolean; k3s?: Partial<ResolvedInventory['k3s']>; kubeconfigServer?: string; domain?: string } = {}): ResolvedInventory {
  const nodes = opts.ha
    ? [node('kmaster1', 'server', 0, '10.77.0.11'), node('kmaster2', 'server', 1, '10.77.0.12'), node('kmaster3', 'server', 2, '10.77.0.13'), node('kworker1', 'agent', 3, '10.77.0.21')]
    : [node('kmaster', 'server', 0, '10.77.0.11'), node('kworker1', 'agent', 1, '10.77.0.21', { labels: { tier: 'edge', 'example.com/disk': 'ssd' } }), node('kworker2', 'agent', 2, '10.77.0.22', { taints: ['dedicated=edge:NoSchedule'] })];
  const k3s: ResolvedInventory['k3s'] = {
    version: 'v1.31.4+k3s1',
    ha: opts.ha ?? false,
    disable: ['traefik'],
    tlsSan: [],
    serverArgs: {},
    agentArgs: {},
    binary: { source: 'workstation' },
    ...opts.k3s,
  };
  const cluster = { name: 'pilab', domain: opts.domain };
  const kubeconfig = { path: '~/.kube/config', merge: true, setCurrent: false, server: opts.kubeconfigServer, context: 'pilab' };
  return {
    file: '/tmp/inventory.yaml',
    raw: {} as ResolvedInventory['raw'],
    cluster,
    nodes,
    k3s,
    addons: [],
    kubeconfig,
    prepare: { hostsFile: 'cluster', swapOff: true, cgroups: true, concurrency: 10, rebootTimeout: 300, gpuMem: 16 },
  };
}

/** A Pi OS Bookworm node (the one facts factory, test/support/facts-factory.ts) with these k3s facts. */
export function facts(k3s: Partial<NodeFacts['k3s']> = {}, arch = 'aarch64'): NodeFacts {
  return makeFacts('bookworm', { arch, hostname: 'kmaster', k3s: { installed: false, serviceActive: false, ...k3s } });
}

export const TOKEN = `K10${'ab'.repeat(32)}::server:5f1e9c2a7b3d4e6f8a0b1c2d3e4f5a6b`;
