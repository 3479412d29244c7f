import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADDON_INDEX_PATH, manifestsDir, parseStateOutput } from '../../src/addons/files.js';
import { parseFacts, parseServerSnapshot } from '../../src/facts/parse.js';
import { K3S_DATA_DIR } from '../../src/k3s/uninstall.js';
import { fakeNode, type FakeNode } from './fixture-tree.js';

/** The real facts script under dash, against fixture trees of Pi OS Trixie, Bullseye and an Ubuntu VM. */

const TRIXIE_OS = 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="13"\nVERSION_CODENAME=trixie\nID=debian\n';
const BULLSEYE_OS = 'PRETTY_NAME="Raspbian GNU/Linux 11 (bullseye)"\nID=raspbian\nID_LIKE=debian\nVERSION_ID="11"\nVERSION_CODENAME=bullseye\n';
const UBUNTU_OS = 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=noble\n';

const PI_LINK = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\\    link/ether DC:A6:32:01:02:03 brd ff:ff:ff:ff:ff:ff',
  '3: wlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DORMANT group default qlen 1000\\    link/ether dc:a6:32:01:02:04 brd ff:ff:ff:ff:ff:ff',
].join('\n');
const PI_ADDR = [
  '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
  '2: eth0    inet 10.77.0.150/24 brd 10.77.0.255 scope global dynamic noprefixroute eth0\\       valid_lft 86000sec preferred_lft 86000sec',
  '2: eth0    inet6 fe80::1/64 scope link \\       valid_lft forever preferred_lft forever',
].join('\n');
const PI_ROUTE = 'default via 10.77.0.1 dev eth0 proto dhcp src 10.77.0.150 metric 100\ndefault via 10.77.9.1 dev wlan0 proto dhcp metric 600';

const K3S_FAKE_BINARY = '#!/bin/sh\necho "k3s version v1.31.4+k3s1 (a1b2c3d4)"\necho "go version go1.22.9"\n';
const K3S_CONFIG = 'token: K10secret::server:verysecret\ncluster-init: true\n';
const K3S_UNIT = '[Unit]\nDescription=Lightweight Kubernetes\n';
const KEYFILE = '[connection]\nid=Wired connection 1\ntype=ethernet\ninterface-name=eth0\n\n[ipv4]\nmethod=auto\n';
const WEIRD = 'quotes " and \\ backslashes \\n, tabs\tand ünïcödé — no final newline';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let node: FakeNode | undefined;
afterEach(() => node?.cleanup());

describe('facts script on a Pi OS Trixie tree', () => {
  const trixie = () =>
    fakeNode({
      files: {
        '/etc/os-release': TRIXIE_OS,
        '/etc/hostname': 'raspberrypi\n',
        '/etc/hosts': '127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n',
        '/etc/machine-id': '0123456789abcdef0123456789abcdef\n',
        '/proc/sys/kernel/hostname': 'raspberrypi\n',
        '/proc/cmdline': 'coherent_pool=1M cgroup_disable=memory console=tty1 root=PARTUUID=1-02\n',
        '/proc/device-tree/model': Buffer.from('Raspberry Pi 4 Model B Rev 1.5\0'),
        '/proc/swaps': 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/zram0                              partition\t2097148\t\t0\t\t100\n',
        '/proc/meminfo': 'MemTotal:        3882000 kB\nMemFree:          100000 kB\nMemAvailable:    3300000 kB\n',
        '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io pids\n',
        '/boot/firmware/cmdline.txt': { content: 'console=tty1 root=PARTUUID=1-02 rootwait\n', mode: 0o755 },
        '/boot/firmware/config.txt': { content: 'arm_64bit=1\n[all]\n', mode: 0o755 },
        '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection': { content: KEYFILE, mode: 0o600 },
        '/etc/NetworkManager/system-connections/weird.nmconnection': { content: WEIRD, mode: 0o600 },
        '/etc/NetworkManager/system-connections/empty.nmconnection': { content: '', mode: 0o600 },
        '/etc/rpi/swap.conf': '[Main]\nMechanism=auto\n',
        '/etc/rpi/swap.conf.d/99-kbootstrap-swap-off.conf': '[Main]\nMechanism=none\n',
        '/usr/sbin/NetworkManager': { content: '#!/bin/sh\n', mode: 0o755 },
        '/usr/bin/ping': { content: '#!/bin/sh\n', mode: 0o755 },
        '/usr/local/bin/k3s': { content: K3S_FAKE_BINARY, mode: 0o755 },
        '/etc/rancher/k3s/config.yaml': { content: K3S_CONFIG, mode: 0o600 },
        '/etc/systemd/system/k3s.service': K3S_UNIT,
        '/var/lib/kbootstrap/backup/etc/hosts': '127.0.0.1 localhost\n',
        '/var/lib/kbootstrap/backup/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection.absent': '',
        '/var/lib/kbootstrap/backup/etc/hostname.kbootstrap-tmp': '',
      },
      systemctl: { active: { NetworkManager: 'active', k3s: 'active' }, since: 'Thu 2025-01-02 03:04:05 UTC' },
      ipLink: PI_LINK,
      ipAddr: PI_ADDR,
      ipRoute: PI_ROUTE,
      uname: '6.12.47+rpt-rpi-v8 aarch64',
    });

  it('reports what the planners need, files byte for byte', () => {
    node = trixie();
    const r = node.run();
    expect(r.code).toBe(0);
    const f = parseFacts(r.stdout, 'kmaster');
    expect(f.osRelease).toEqual({ id: 'debian', versionId: '13', codename: 'trixie', prettyName: 'Debian GNU/Linux 13 (trixie)' });
    expect([f.arch, f.kernel, f.boardModel]).toEqual(['aarch64', '6.12.47+rpt-rpi-v8', 'Raspberry Pi 4 Model B Rev 1.5']);
    expect([f.hostname, f.machineId]).toEqual(['raspberrypi', '0123456789abcdef0123456789abcdef']);
    expect(f.interfaces).toEqual([
      { name: 'lo', up: true, addresses: ['127.0.0.1/8'] },
      { name: 'eth0', mac: 'dc:a6:32:01:02:03', up: true, addresses: ['10.77.0.150/24', 'fe80::1/64'] },
      { name: 'wlan0', mac: 'dc:a6:32:01:02:04', up: false, addresses: [] },
    ]);
    expect(f.defaultRoute).toEqual({ gateway: '10.77.0.1', interface: 'eth0' });
    expect(f.networkStack).toBe('NetworkManager');
    expect(f.boot).toEqual({
      dir: '/boot/firmware',
      cmdline: { path: '/boot/firmware/cmdline.txt', content: 'console=tty1 root=PARTUUID=1-02 rootwait\n', mode: '755' },
      config: { path: '/boot/firmware/config.txt', content: 'arm_64bit=1\n[all]\n', mode: '755' },
    });
    const nm = '/etc/NetworkManager/system-connections';
    expect(f.files[`${nm}/Wired connection 1.nmconnection`]).toEqual({ path: `${nm}/Wired connection 1.nmconnection`, content: KEYFILE, mode: '600' });
    expect(f.files[`${nm}/weird.nmconnection`]?.content).toBe(WEIRD);
    expect(f.files[`${nm}/empty.nmconnection`]?.content).toBe('');
    expect(f.files['/etc/hostname']?.content).toBe('raspberrypi\n');
    expect(f.files['/etc/dhcpcd.conf']).toEqual({ path: '/etc/dhcpcd.conf', content: null });
    expect(f.files['/etc/rpi/swap.conf.d/99-kbootstrap-swap-off.conf']?.content).toBe('[Main]\nMechanism=none\n');
    expect(f.files['/etc/rancher/k3s/config.yaml']).toBeUndefined();
    expect(r.stdout).not.toContain('verysecret');
    expect(f.swap).toEqual({ active: [{ device: '/dev/zram0', type: 'partition', sizeKb: 2097148 }], dphysSwapfile: { installed: false, enabled: false }, zram: { configured: true }, fstabSwap: [] });
    expect(f.cgroup).toEqual({ version: 2, controllers: ['cpuset', 'cpu', 'io', 'pids'], memoryEnabled: false });
    expect(f.procCmdline).toBe('coherent_pool=1M cgroup_disable=memory console=tty1 root=PARTUUID=1-02');
    expect(f.memory).toEqual({ totalMb: 3791, availableMb: 3222 });
    expect(Math.abs(f.clockMs - Date.now())).toBeLessThan(10_000);
    expect(f.k3s).toEqual({
      installed: true,
      version: 'v1.31.4+k3s1',
      role: 'server',
      serviceActive: true,
      serviceSinceMs: Date.parse('2025-01-02T03:04:05Z'),
      configSha256: sha(K3S_CONFIG),
      unitSha256: sha(K3S_UNIT),
      binarySha256: sha(K3S_FAKE_BINARY),
    });
    expect(f.backups).toEqual(['/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection', '/etc/hosts']);
    expect(f.absentBackups).toEqual(['/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection']);
    expect(f.tools).toEqual(['NetworkManager', 'ping']);
    expect(f.sudoOk).toBe(process.getuid?.() === 0);
  });

  it('caches the binary hash by size, mtime and inode, and recomputes when the binary changes', () => {
    node = trixie();
    node.run();
    const cache = join(node.root, 'var/lib/kbootstrap/facts-cache/k3s-binary.sha256');
    const [size, mtime, inode] = readFileSync(cache, 'utf8').trim().split(' ');
    writeFileSync(cache, `${size} ${mtime} ${inode} ${'f'.repeat(64)}\n`);
    expect(parseFacts(node.run().stdout, 'kmaster').k3s.binarySha256).toBe('f'.repeat(64));

    const changed = `${K3S_FAKE_BINARY}# v2\n`;
    writeFileSync(join(node.root, 'usr/local/bin/k3s'), changed);
    expect(parseFacts(node.run().stdout, 'kmaster').k3s.binarySha256).toBe(sha(changed));
  });

  it('caches the k3s version with the same key (size, mtime, inode), and asks the binary again when it changes', () => {
    node = trixie();
    node.run();
    const cache = join(node.root, 'var/lib/kbootstrap/facts-cache/k3s-binary.version');
    const [size, mtime, inode] = readFileSync(cache, 'utf8').trim().split(' ');
    writeFileSync(cache, `${size} ${mtime} ${inode} k3s version v1.30.0+k3s9 (cached)\n`);
    expect(parseFacts(node.run().stdout, 'kmaster').k3s.version).toBe('v1.30.0+k3s9');
    writeFileSync(join(node.root, 'usr/local/bin/k3s'), K3S_FAKE_BINARY.replace('v1.31.4+k3s1', 'v1.32.10+k3s1'));
    expect(parseFacts(node.run().stdout, 'kmaster').k3s.version).toBe('v1.32.10+k3s1');
  });

  it('on the first server (`sh -s first-server`) also prints its tokens, k3s.yaml, the addon files and the run lock; never otherwise; starts no kubectl', () => {
    node = trixie();
    // A k3s whose kubectl leaves a trace: the node list comes from the API through the connection, not from a process on the node.
    writeFileSync(join(node.root, 'usr/local/bin/k3s'), `#!/bin/sh\n[ "$1" = kubectl ] && { touch "${join(node.root, 'kubectl-ran')}"; exit 0; }\n${K3S_FAKE_BINARY}`);
    mkdirSync(join(node.root, 'var/lib/rancher/k3s/server'), { recursive: true });
    writeFileSync(join(node.root, 'var/lib/rancher/k3s/server/token'), 'K10abc::server:verysecret\n');
    writeFileSync(join(node.root, 'etc/rancher/k3s/k3s.yaml'), 'apiVersion: v1\nclusters: []\n');
    mkdirSync(join(node.root, manifestsDir(K3S_DATA_DIR)), { recursive: true });
    writeFileSync(join(node.root, manifestsDir(K3S_DATA_DIR), 'coredns.yaml'), 'kind: List\n');
    writeFileSync(join(node.root, ADDON_INDEX_PATH), '{"files": {"kb-x.yaml": "knative-serving"}}\n');
    const holder = '{"token":"abc","command":"init","user":"ann","host":"laptop","pid":7,"since":"2026-12-03T00:00:00.000Z"}';
    writeFileSync(join(node.root, 'var/lib/kbootstrap/run.lock'), `${holder}\n`);
    writeFileSync(join(node.root, 'var/lib/kbootstrap/run.generation'), '41\n');
    const plain = node.run();
    expect(parseServerSnapshot(plain.stdout)).toBeUndefined();
    expect(plain.stdout).not.toContain('verysecret');
    const first = node.run(['first-server']);
    expect(parseFacts(first.stdout, 'kmaster').k3s.serviceActive).toBe(true);
    const snapshot = parseServerSnapshot(first.stdout)!;
    expect({ ...snapshot, addons: undefined }).toEqual({ token: 'K10abc::server:verysecret', agentToken: '', kubeconfig: 'apiVersion: v1\nclusters: []\n', addons: undefined, runLock: holder, runGeneration: 41 });
    // What the addons phase would have asked for in a round trip of its own (buildStateCommand).
    expect(parseStateOutput(snapshot.addons)).toEqual({ sums: new Map([['coredns.yaml', sha('kind: List\n')]]), index: { 'kb-x.yaml': 'knative-serving' } });
    expect(existsSync(join(node.root, 'kubectl-ran'))).toBe(false);
  });

  it('on a first server no run has locked yet: no holder, generation 0', () => {
    node = trixie();
    const snapshot = parseServerSnapshot(node.run(['first-server']).stdout)!;
    expect([snapshot.runLock, snapshot.runGeneration]).toEqual(['', 0]);
  });

  it('falls back to the installed daemon when none runs (an emulated lab node), and to the lab board shim', () => {
    node = fakeNode({
      files: {
        '/etc/os-release': TRIXIE_OS,
        '/usr/sbin/NetworkManager': { content: '#!/bin/sh\n', mode: 0o755 },
        '/etc/kbootstrap-lab/board-model': 'Raspberry Pi 4 Model B Rev 1.4\n',
        '/proc/meminfo': 'MemTotal: 1000000 kB\n',
      },
      systemctl: {},
      uname: '6.1.0 aarch64',
    });
    const f = parseFacts(node.run().stdout, 'knode1');
    expect(f.networkStack).toBe('NetworkManager');
    expect(f.boardModel).toBe('Raspberry Pi 4 Model B Rev 1.4');
    expect(f.k3s).toEqual({ installed: false, serviceActive: false });
    expect(f.boot).toBeUndefined();
  });
});

describe('facts script on a Bullseye tree', () => {
  it('finds dhcpcd, /boot, cgroup v1 and dphys-swapfile', () => {
    node = fakeNode({
      files: {
        '/etc/os-release': BULLSEYE_OS,
        '/etc/dhcpcd.conf': 'hostname\nclientid\n',
        '/boot/cmdline.txt': 'console=tty1 root=PARTUUID=1-02\n',
        '/boot/config.txt': 'dtparam=audio=on\n',
        '/proc/cpuinfo': 'processor\t: 0\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.2\n',
        '/proc/cgroups': '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t2\t1\t1\nmemory\t0\t1\t0\npids\t3\t1\t1\n',
        '/proc/swaps': 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/var/swap                               file\t\t102396\t\t0\t\t-2\n',
        '/proc/meminfo': 'MemTotal:        1900000 kB\nMemAvailable:    1500000 kB\n',
        '/sbin/dphys-swapfile': { content: '#!/bin/sh\n', mode: 0o755 },
        '/sbin/dhcpcd': { content: '#!/bin/sh\n', mode: 0o755 },
        '/etc/dphys-swapfile': 'CONF_SWAPSIZE=100\n',
        '/etc/fstab': 'proc /proc proc defaults 0 0\n',
      },
      systemctl: { active: { dhcpcd: 'active', 'dphys-swapfile': 'active' }, enabled: { 'dphys-swapfile': 'enabled' } },
      uname: '6.1.21-v8+ aarch64',
    });
    const f = parseFacts(node.run().stdout, 'knode2');
    expect(f.osRelease.codename).toBe('bullseye');
    expect(f.boardModel).toBe('Raspberry Pi 4 Model B Rev 1.2');
    expect(f.networkStack).toBe('dhcpcd');
    expect(f.boot?.dir).toBe('/boot');
    expect(f.boot?.cmdline.content).toBe('console=tty1 root=PARTUUID=1-02\n');
    expect(f.files['/etc/dhcpcd.conf']?.content).toBe('hostname\nclientid\n');
    expect(f.cgroup).toEqual({ version: 1, controllers: ['cpuset', 'pids'], memoryEnabled: false });
    expect(f.swap.dphysSwapfile).toEqual({ installed: true, enabled: true });
    expect(f.swap.active).toEqual([{ device: '/var/swap', type: 'file', sizeKb: 102396 }]);
    expect(f.swap.zram.configured).toBe(false);
  });
});

describe('facts script on an Ubuntu VM tree', () => {
  it('finds netplan and its renderer, no boot partition', () => {
    node = fakeNode({
      files: {
        '/etc/os-release': UBUNTU_OS,
        '/etc/netplan/50-cloud-init.yaml': { content: 'network:\n  version: 2\n  renderer: networkd\n  ethernets:\n    enp0s8:\n      dhcp4: true\n', mode: 0o600 },
        '/proc/meminfo': 'MemTotal: 2000000 kB\nMemAvailable: 1800000 kB\n',
        '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
        '/etc/fstab': 'LABEL=root / ext4 defaults 0 1\n/swap.img none swap sw 0 0\n',
      },
      systemctl: { active: { 'systemd-networkd': 'active' }, swapUnits: 'swap.img.swap loaded active active /swap.img\n' },
      uname: '6.8.0-45-generic x86_64',
    });
    const f = parseFacts(node.run().stdout, 'vm1');
    expect(f.osRelease).toMatchObject({ id: 'ubuntu', versionId: '24.04', codename: 'noble', idLike: 'debian' });
    expect([f.networkStack, f.netplanRenderer]).toEqual(['netplan', 'networkd']);
    expect(f.boot).toBeUndefined();
    expect(f.boardModel).toBeUndefined();
    expect(f.cgroup.memoryEnabled).toBe(true);
    expect(f.swap.fstabSwap).toEqual(['swap.img.swap']);
    expect(f.files['/etc/netplan/50-cloud-init.yaml']?.mode).toBe('600');
  });
});
