import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../src/facts/types.js';
import { validateFleet, type FleetEntry, type FleetProbes } from '../../src/validate/fleet.js';
import { makeFacts, makeInventory, makeNode, withEth0, type NodeSpec } from '../support/facts-factory.js';

/** Builds a fleet from (node spec, facts overrides) pairs; machine-ids unique unless a test says otherwise. */
function fleet(...specs: [NodeSpec, Partial<NodeFacts>?][]) {
  const nodes = specs.map(([spec], i) => makeNode(spec, i));
  const entries: FleetEntry[] = specs.map(([, over], i) => ({
    node: nodes[i]!,
    facts: makeFacts({ machineId: `${i}`.repeat(32), ...over }),
  }));
  return { entries, inv: makeInventory(nodes) };
}

function check(f: ReturnType<typeof fleet>, probes?: FleetProbes) {
  return validateFleet(f.entries, f.inv, probes).map((p) => `${p.severity} ${p.node}: ${p.message}`);
}

describe('validateFleet', () => {
  it('finds nothing wrong with a fresh, healthy Pi fleet', () => {
    expect(check(fleet([{ name: 'kmaster' }], [{ name: 'knode1' }]))).toEqual([]);
  });

  it('flags cloned machine-ids on every node that shares one, with the fix', () => {
    const f = fleet([{ name: 'a' }, { machineId: 'c'.repeat(32) }], [{ name: 'b' }, { machineId: 'c'.repeat(32) }], [{ name: 'c' }]);
    const problems = validateFleet(f.entries, f.inv);
    expect(problems.map((p) => [p.severity, p.node, p.message])).toEqual([
      ['error', 'a', `machine-id ${'c'.repeat(32)} is also the machine-id of b (a cloned SD card?)`],
      ['error', 'b', `machine-id ${'c'.repeat(32)} is also the machine-id of a (a cloned SD card?)`],
    ]);
    expect(problems[0]!.hint).toContain('rm /etc/machine-id && sudo systemd-machine-id-setup');
  });

  it('accepts a shared image hostname, warns on a shared custom one and on another node\'s name', () => {
    expect(check(fleet([{ name: 'a' }, { hostname: 'raspberrypi' }], [{ name: 'b' }, { hostname: 'raspberrypi' }]))).toEqual([]);
    expect(check(fleet([{ name: 'a' }, { hostname: 'pi-x' }], [{ name: 'b' }, { hostname: 'pi-x' }]))).toEqual([
      'warning a: its hostname is pi-x, the same as on b (a cloned SD card?)',
      'warning b: its hostname is pi-x, the same as on a (a cloned SD card?)',
    ]);
    expect(check(fleet([{ name: 'a', host: '10.0.0.1' }, { hostname: 'b' }], [{ name: 'b' }]))).toEqual([
      'warning a: the host at 10.0.0.1 calls itself b, the inventory name of another node',
    ]);
  });

  it('refuses unsupported systems and architectures, warns on 32-bit', () => {
    expect(check(fleet([{ name: 'a' }, { osRelease: { id: 'fedora', prettyName: 'Fedora Linux 40' } }]))).toEqual([
      'error a: unsupported operating system: Fedora Linux 40 is not Raspberry Pi OS, Debian or Ubuntu',
    ]);
    expect(check(fleet([{ name: 'a' }, { arch: 'i686' }]))).toEqual(['error a: k3s has no build for the architecture i686']);
    expect(check(fleet([{ name: 'a' }, { arch: 'armv7l' }]))).toEqual([
      'warning a: armv7l is a 32-bit system: k3s runs, but several addon images have no 32-bit build',
    ]);
  });

  it('checks memory (server stricter) and free space on /var/lib', () => {
    const mem = (totalMb: number) => ({ memory: { totalMb, availableMb: totalMb / 2 } });
    expect(check(fleet([{ name: 'a' }, mem(430)]))).toEqual(['error a: only 430 MB of memory: k3s needs at least 512 MB']);
    expect(check(fleet([{ name: 'a' }, mem(905)], [{ name: 'b' }, mem(905)]))).toEqual([
      'warning a: only 905 MB of memory for a k3s server (1 GB or more recommended)',
    ]);
    expect(check(fleet([{ name: 'a' }, { disk: { rootFreeMb: 1500, varLibFreeMb: 1500 } }]))).toEqual([
      'error a: only 1500 MB free on /var/lib: k3s needs at least 2048 MB for images and data',
    ]);
  });

  it('reports sudo that did not give root', () => {
    expect(check(fleet([{ name: 'a' }, { sudoOk: false }]))).toEqual(['error a: the facts did not run as root: sudo does not work for this user']);
  });

  it('requires the inventory\'s interface on the node and lists the ones there are', () => {
    const f = fleet([{ name: 'a', iface: 'enp0s8' }]);
    const [p] = validateFleet(f.entries, f.inv);
    expect(p).toMatchObject({ severity: 'error', message: 'the network interface enp0s8 does not exist on the node', hint: 'set network.interface to one of: eth0' });
  });

  it('needs a memory cgroup kbootstrap can enable', () => {
    const off = { cgroup: { version: 1 as const, controllers: ['cpu'], memoryEnabled: false } };
    expect(check(fleet([{ name: 'pi' }, off]))).toEqual([]);
    expect(check(fleet([{ name: 'vm', board: 'generic' }, { ...off, boardModel: undefined, boot: undefined }]))).toEqual([
      'error vm: the memory cgroup controller is not available (cgroup v1) and kbootstrap only enables it on Raspberry Pi boards',
    ]);
    expect(check(fleet([{ name: 'pi' }, { ...off, boot: undefined }]))).toEqual([
      'error pi: the memory cgroup controller is not enabled and no cmdline.txt was found in /boot/firmware or /boot',
    ]);
    const f = fleet([{ name: 'pi' }, off]);
    expect(validateFleet(f.entries, makeInventory(f.entries.map((e) => e.node), { cgroups: false })).map((p) => p.message)).toEqual([
      'the memory cgroup controller is not enabled (cgroup v1) and prepare.cgroups is off',
    ]);
  });

  it('needs a known network stack for a static IP', () => {
    expect(check(fleet([{ name: 'a', staticIp: '10.77.0.11' }, { networkStack: 'unknown' }]))).toEqual([
      'error a: cannot set the static IP 10.77.0.11: no network stack kbootstrap knows (NetworkManager, dhcpcd, netplan) manages this node',
    ]);
    expect(check(fleet([{ name: 'a' }, { networkStack: 'unknown' }]))).toEqual([]);
    expect(check(fleet([{ name: 'a', staticIp: '10.77.0.11' }, { networkStack: 'ifupdown' }]))[0]).toMatch(/^error a: cannot set the static IP 10.77.0.11: .* managed by ifupdown/);
  });

  it('reports static IPs answered by another host, not by the node itself', () => {
    const own = withEth0(makeFacts({ machineId: '1'.repeat(32) }), 'dc:a6:32:00:00:02', '10.77.0.151/24');
    const f = fleet([{ name: 'a', staticIp: '10.77.0.11' }], [{ name: 'b', staticIp: '10.77.0.12' }, own], [{ name: 'c', staticIp: '10.77.0.13' }]);
    const inUse = new Map([['10.77.0.11', 'aa:bb:cc:dd:ee:ff'], ['10.77.0.12', 'dc:a6:32:00:00:02'], ['10.77.0.13', 'ping']]);
    expect(check(f, { ipInUse: inUse })).toEqual([
      'error a: its static IP 10.77.0.11 is already in use by another host (MAC aa:bb:cc:dd:ee:ff)',
      'error c: its static IP 10.77.0.13 is already in use by another host (it answers ping)',
    ]);
    const already = fleet([{ name: 'a', staticIp: '10.77.0.150' }]);
    expect(check(already, { ipInUse: new Map([['10.77.0.150', 'ping']]) })).toEqual([]);
  });

  it('warns when another node of the fleet holds the static IP but moves off it; errors when it keeps it', () => {
    const holder = (staticIp?: string) =>
      fleet([{ name: 'a', staticIp: '10.77.0.151' }], [{ name: 'b', ...(staticIp ? { staticIp } : {}) }, withEth0(makeFacts({ machineId: 'b'.repeat(32) }), 'dc:a6:32:00:00:09', '10.77.0.151/24')]);
    expect(check(holder('10.77.0.12'), { ipInUse: new Map([['10.77.0.151', 'dc:a6:32:00:00:09']]) })).toEqual([
      'warning a: its static IP 10.77.0.151 is held now by b, which moves to 10.77.0.12',
    ]);
    expect(check(holder(), {})).toEqual(['error a: its static IP 10.77.0.151 is the current address of b, which keeps it']);
  });

  it('warns once when the IP check could not run', () => {
    const f = fleet([{ name: 'a', staticIp: '10.77.0.11' }]);
    expect(check(f, { ipCheckSkipped: { node: 'a', reason: 'a has neither ping nor bash' } })).toEqual([
      'warning a: could not check whether the static IPs are free: a has neither ping nor bash',
    ]);
    expect(check(fleet([{ name: 'a' }]), { ipCheckSkipped: { node: 'a', reason: 'x' } })).toEqual([]);
  });

  it('compares clocks through the workstation and names the offsets', () => {
    const f = fleet([{ name: 'a' }, { clockMs: 1_000_000 }], [{ name: 'b' }, { clockMs: 1_000_500 }], [{ name: 'c' }, { clockMs: 2_046_000 }]);
    f.entries[0]!.clockSampledAtMs = 1_000_000;
    f.entries[1]!.clockSampledAtMs = 1_000_400;
    f.entries[2]!.clockWindowMs = { startMs: 2_000_000, endMs: 2_001_000 };
    expect(check(f)).toEqual([
      'error c: clock is +45.5 s off from a, b (more than 30 s; offsets from this workstation: a +0.0 s, b +0.1 s, c +45.5 s)',
    ]);
    f.entries[2]!.facts = { ...f.entries[2]!.facts, clockMs: 2_020_000 };
    expect(check(f)).toEqual([]);
  });

  it('orders problems by inventory node, errors first', () => {
    const f = fleet([{ name: 'a' }, { arch: 'armv7l' }], [{ name: 'b' }, { sudoOk: false }]);
    f.entries[0]!.facts = { ...f.entries[0]!.facts, memory: { totalMb: 100, availableMb: 50 } };
    expect(check(f).map((l) => l.split(':')[0])).toEqual(['error a', 'warning a', 'error b']);
  });
});
