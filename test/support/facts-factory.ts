import type { FileFact, NodeFacts } from '../../src/facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../../src/inventory/resolved.js';
import { resolveInventory } from '../../src/inventory/resolve.js';
import { InventorySchema } from '../../src/inventory/schema.js';

/**
 * The one factory of test facts: NodeFacts as the facts script would report them for a few OS images
 * (the planners' tests), with per-test overrides; nodes and inventories to go with them.
 */

export type Release = 'trixie' | 'bookworm' | 'bullseye' | 'ubuntu' | 'vagrant';

export const PI_CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait quiet splash\n';

export const PI_CONFIG_BOOKWORM = `# For more options and information see
# http://rptl.io/configtxt
dtparam=audio=on
camera_auto_detect=1
display_auto_detect=1
auto_initramfs=1
dtoverlay=vc4-kms-v3d
max_framebuffers=2
disable_fw_kms_setup=1
arm_64bit=1
disable_overscan=1
arm_boost=1

[cm4]
otg_mode=1

[cm5]
dtoverlay=dwc2,dr_mode=host

[all]
`;

export const DEBIAN_HOSTS = `127.0.0.1\tlocalhost
::1\t\tlocalhost ip6-localhost ip6-loopback
ff02::1\t\tip6-allnodes
ff02::2\t\tip6-allrouters

127.0.1.1\traspberrypi
`;

export const BULLSEYE_DHCPCD = `# A sample configuration for dhcpcd.
# See dhcpcd.conf(5) for details.

hostname
clientid
persistent
option rapid_commit
option domain_name_servers, domain_name, domain_search, host_name
option classless_static_routes
option interface_mtu
require dhcp_server_identifier
slaac private

# Example static IP configuration:
#interface eth0
#static ip_address=192.168.0.10/24
#static routers=192.168.0.1
`;

export const UBUNTU_CLOUD_INIT_NETPLAN = `# This file is generated from information provided by the datasource.
network:
    ethernets:
        eth0:
            dhcp4: true
            optional: true
    version: 2
`;

export function file(path: string, content: string | null, mode = '644'): FileFact {
  return content === null ? { path, content } : { path, content, mode };
}

function files(...list: FileFact[]): Record<string, FileFact> {
  return Object.fromEntries(list.map((f) => [f.path, f]));
}

const OS: Record<Release, NodeFacts['osRelease']> = {
  trixie: { id: 'debian', versionId: '13', codename: 'trixie', prettyName: 'Debian GNU/Linux 13 (trixie)' },
  bookworm: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  bullseye: { id: 'debian', versionId: '11', codename: 'bullseye', prettyName: 'Debian GNU/Linux 11 (bullseye)' },
  ubuntu: { id: 'ubuntu', versionId: '24.04', codename: 'noble', prettyName: 'Ubuntu 24.04.1 LTS', idLike: 'debian' },
  vagrant: { id: 'ubuntu', versionId: '24.04', codename: 'noble', prettyName: 'Ubuntu 24.04.1 LTS', idLike: 'debian' },
};

/**
 * A freshly flashed node of `release` (default: Pi OS Trixie on a Raspberry Pi 4) on DHCP (10.77.0.150),
 * swap on, nothing done yet. `makeFacts(overrides)` is `makeFacts('trixie', overrides)`.
 */
export function makeFacts(release: Release, overrides?: Partial<NodeFacts>): NodeFacts;
export function makeFacts(overrides?: Partial<NodeFacts>): NodeFacts;
export function makeFacts(releaseOrOverrides: Release | Partial<NodeFacts> = 'trixie', more: Partial<NodeFacts> = {}): NodeFacts {
  const release = typeof releaseOrOverrides === 'string' ? releaseOrOverrides : 'trixie';
  const overrides = typeof releaseOrOverrides === 'string' ? more : releaseOrOverrides;
  const bootDir = release === 'bullseye' ? '/boot' : '/boot/firmware';
  const pi = release !== 'vagrant';
  const base: NodeFacts = {
    osRelease: OS[release],
    arch: pi ? 'aarch64' : 'x86_64',
    kernel: release === 'trixie' ? '6.12.47+rpt-rpi-v8' : '6.1.0-rpi7-rpi-v8',
    boardModel: pi ? 'Raspberry Pi 4 Model B Rev 1.5' : undefined,
    hostname: release === 'ubuntu' ? 'ubuntu' : 'raspberrypi',
    machineId: '0123456789abcdef0123456789abcdef',
    interfaces: [
      { name: 'lo', up: true, addresses: ['127.0.0.1/8'] },
      { name: 'eth0', mac: 'dc:a6:32:01:02:03', up: true, addresses: ['10.77.0.150/24'] },
    ],
    defaultRoute: { gateway: '10.77.0.1', interface: 'eth0' },
    networkStack: release === 'bullseye' ? 'dhcpcd' : release === 'ubuntu' || release === 'vagrant' ? 'netplan' : 'NetworkManager',
    netplanRenderer: release === 'ubuntu' || release === 'vagrant' ? 'networkd' : undefined,
    boot: pi
      ? {
          dir: bootDir,
          cmdline: file(`${bootDir}/cmdline.txt`, PI_CMDLINE, '755'),
          config: file(`${bootDir}/config.txt`, PI_CONFIG_BOOKWORM, '755'),
        }
      : undefined,
    files: files(
      file('/etc/hostname', release === 'ubuntu' ? 'ubuntu\n' : 'raspberrypi\n'),
      file('/etc/hosts', DEBIAN_HOSTS),
      file('/etc/fstab', 'proc            /proc           proc    defaults          0       0\nPARTUUID=4e639091-01  /boot/firmware  vfat    defaults          0       2\nPARTUUID=4e639091-02  /               ext4    defaults,noatime  0       1\n'),
      ...(release === 'bullseye' ? [file('/etc/dhcpcd.conf', BULLSEYE_DHCPCD)] : []),
      ...(release === 'ubuntu' || release === 'vagrant' ? [file('/etc/netplan/50-cloud-init.yaml', UBUNTU_CLOUD_INIT_NETPLAN, '600')] : []),
      ...(release === 'trixie' ? [file('/etc/rpi/swap.conf', '[Main]\n#Mechanism=auto\n')] : []),
      ...(release === 'bookworm' || release === 'bullseye' ? [file('/etc/dphys-swapfile', 'CONF_SWAPSIZE=100\n')] : []),
    ),
    swap: {
      active:
        release === 'trixie'
          ? [{ device: '/dev/zram0', type: 'partition', sizeKb: 2097148 }]
          : release === 'bookworm' || release === 'bullseye'
            ? [{ device: '/var/swap', type: 'file', sizeKb: 102396 }]
            : [],
      dphysSwapfile: { installed: release === 'bookworm' || release === 'bullseye', enabled: release === 'bookworm' || release === 'bullseye' },
      zram: { configured: release === 'trixie' },
      fstabSwap: [],
    },
    cgroup: { version: 2, controllers: ['cpuset', 'cpu', 'io', 'pids'], memoryEnabled: false },
    procCmdline: `coherent_pool=1M 8250.nr_uarts=1 cgroup_disable=memory ${PI_CMDLINE.trim()}`,
    clockMs: 1_760_000_000_000,
    disk: { rootFreeMb: 20_000, varLibFreeMb: 20_000 },
    memory: { totalMb: 3_800, availableMb: 3_300 },
    k3s: { installed: false, serviceActive: false },
    backups: [],
    sudoOk: true,
  };
  return { ...base, ...overrides };
}

/** Facts with some files replaced (content null removes one). */
export function withFiles(facts: NodeFacts, ...changed: FileFact[]): NodeFacts {
  return { ...facts, files: { ...facts.files, ...files(...changed) } };
}

export function makeLabInventory(opts: { hostsFile?: 'self' | 'cluster'; domain?: string; board?: 'rpi4' | 'rpi5' | 'vagrant' | 'generic'; staticIps?: boolean } = {}): ResolvedInventory {
  const raw = InventorySchema.parse({
    cluster: { name: 'lab', ...(opts.domain ? { domain: opts.domain } : {}) },
    board: opts.board ?? 'rpi4',
    network: { gateway: '10.77.0.1', dns: ['10.77.0.1', '1.1.1.1'] },
    nodes: [
      { name: 'kmaster', role: 'server', address: '10.77.0.150', ...(opts.staticIps === false ? {} : { staticIp: '10.77.0.11' }) },
      { name: 'kworker1', address: '10.77.0.151', ...(opts.staticIps === false ? {} : { staticIp: '10.77.0.12' }) },
      { name: 'kworker2', address: 'kworker2.local' },
    ],
    prepare: { hostsFile: opts.hostsFile ?? 'cluster' },
  });
  return resolveInventory(raw, '/tmp/inventory.yaml', { env: {}, homeDir: '/tmp' });
}

export function firstNode(inv: ResolvedInventory): ResolvedNode {
  const node = inv.nodes[0];
  if (!node) throw new Error('inventory without nodes');
  return node;
}

/**
 * The facts a node would report after every file change of a plan was written (the round trip for
 * idempotence tests). Commands are not simulated; callers adjust swap/hostname state themselves.
 */
export function applyFileChanges(facts: NodeFacts, changes: { kind: string; path?: string; content?: string; mode?: number }[]): NodeFacts {
  let next: NodeFacts = { ...facts, files: { ...facts.files } };
  for (const c of changes) {
    if (c.kind !== 'file' || c.path === undefined || c.content === undefined) continue;
    const mode = c.mode === undefined ? undefined : c.mode.toString(8);
    if (next.boot && c.path === next.boot.cmdline.path) next = { ...next, boot: { ...next.boot, cmdline: { ...next.boot.cmdline, content: c.content } } };
    else if (next.boot && c.path === next.boot.config.path) next = { ...next, boot: { ...next.boot, config: { ...next.boot.config, content: c.content } } };
    else next.files[c.path] = { path: c.path, content: c.content, ...(mode ? { mode } : {}) };
  }
  return next;
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
