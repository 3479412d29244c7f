import type { NodeFacts } from '../../src/facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../../src/inventory/resolved.js';
import { resolveInventory } from '../../src/inventory/resolve.js';
import { InventorySchema } from '../../src/inventory/schema.js';

/**
 * Hand-made facts and nodes for the validation tests: a healthy Raspberry Pi 4 on Pi OS Trixie
 * (64-bit, 4 GB, NetworkManager, memory cgroup off until cmdline.txt is fixed), overridable per test.
 */
export function makeFacts(overrides: Partial<NodeFacts> = {}): NodeFacts {
  const base: NodeFacts = {
    osRelease: { id: 'debian', versionId: '13', codename: 'trixie', prettyName: 'Debian GNU/Linux 13 (trixie)' },
    arch: 'aarch64',
    kernel: '6.12.47+rpt-rpi-v8',
    boardModel: 'Raspberry Pi 4 Model B Rev 1.5',
    hostname: 'raspberrypi',
    machineId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    interfaces: [
      { name: 'lo', up: true, addresses: ['127.0.0.1/8'] },
      { name: 'eth0', mac: 'dc:a6:32:00:00:01', up: true, addresses: ['10.77.0.150/24'] },
    ],
    defaultRoute: { gateway: '10.77.0.1', interface: 'eth0' },
    networkStack: 'NetworkManager',
    boot: {
      dir: '/boot/firmware',
      cmdline: { path: '/boot/firmware/cmdline.txt', content: 'console=tty1 root=PARTUUID=1-02 rootwait\n', mode: '755' },
      config: { path: '/boot/firmware/config.txt', content: 'arm_64bit=1\n', mode: '755' },
    },
    files: {},
    swap: { active: [], dphysSwapfile: { installed: false, enabled: false }, zram: { configured: true }, fstabSwap: [] },
    cgroup: { version: 2, controllers: ['cpuset', 'cpu', 'io', 'pids'], memoryEnabled: false },
    procCmdline: 'console=tty1 root=PARTUUID=1-02 rootwait',
    clockMs: 1_760_000_000_000,
    disk: { rootFreeMb: 20_000, varLibFreeMb: 20_000 },
    memory: { totalMb: 3_800, availableMb: 3_300 },
    k3s: { installed: false, serviceActive: false },
    backups: [],
    sudoOk: true,
  };
  return { ...base, ...overrides };
}

/** Facts with eth0 replaced: its MAC and addresses. */
export function withEth0(facts: NodeFacts, mac: string, ...addresses: string[]): NodeFacts {
  return {
    ...facts,
    interfaces: [...facts.interfaces.filter((i) => i.name !== 'eth0'), { name: 'eth0', mac, up: true, addresses }],
  };
}

export interface NodeSpec {
  name: string;
  role?: 'server' | 'agent';
  board?: ResolvedNode['board'];
  host?: string;
  staticIp?: string;
  iface?: string;
}

export function makeNode(spec: NodeSpec, index = 0): ResolvedNode {
  return {
    name: spec.name,
    role: spec.role ?? (index === 0 ? 'server' : 'agent'),
    board: spec.board ?? 'rpi4',
    index,
    connect: { host: spec.host ?? `10.77.0.${150 + index}`, port: 22, user: 'pi', agent: false, knownHosts: '/tmp/known_hosts' },
    target: spec.staticIp ? { ip: spec.staticIp, prefix: 24, gateway: '10.77.0.1', dns: ['10.77.0.1'] } : undefined,
    interface: spec.iface ?? 'eth0',
    labels: {},
    taints: [],
  };
}

/** A resolved inventory holding exactly `nodes` (the raw part is a minimal valid inventory). */
export function makeInventory(nodes: ResolvedNode[], prepare: { cgroups?: boolean } = {}): ResolvedInventory {
  const raw = InventorySchema.parse({
    cluster: { name: 'test' },
    nodes: [{ name: 'kmaster', role: 'server', address: '10.77.0.150' }],
    ...(prepare.cgroups === undefined ? {} : { prepare: { cgroups: prepare.cgroups } }),
  });
  return { ...resolveInventory(raw, '/tmp/inventory.yaml', { env: {}, homeDir: '/tmp' }), nodes };
}
