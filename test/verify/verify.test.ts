import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../src/facts/types.js';
import { planNodePreparation } from '../../src/os/plan.js';
import { verifyNode } from '../../src/verify/verify.js';
import { applyFileChanges, firstNode, makeFacts, makeLabInventory, PI_CMDLINE } from '../support/facts-factory.js';

const inv = makeLabInventory();
const node = firstNode(inv);

/** A Trixie node after preparation and its reboot: what the facts would show when all went well. */
function preparedFacts(): NodeFacts {
  const facts = makeFacts('trixie');
  const next = applyFileChanges(facts, planNodePreparation(node, facts, inv).changes);
  return {
    ...next,
    hostname: 'kmaster',
    interfaces: [next.interfaces[0]!, { name: 'eth0', mac: 'dc:a6:32:01:02:03', up: true, addresses: ['10.77.0.11/24'] }],
    defaultRoute: { gateway: '10.77.0.1', interface: 'eth0' },
    swap: { ...next.swap, active: [] },
    cgroup: { version: 2, controllers: ['cpuset', 'cpu', 'io', 'memory', 'pids'], memoryEnabled: true },
    procCmdline: `coherent_pool=1M 8250.nr_uarts=1 cgroup_disable=memory ${PI_CMDLINE.trim()} cgroup_memory=1 cgroup_enable=memory`,
  };
}

function failed(facts: NodeFacts, i = inv) {
  return verifyNode(node, facts, i).checks.filter((c) => !c.ok);
}

describe('verifyNode', () => {
  it('passes a prepared node, with every check listed', () => {
    const result = verifyNode(node, preparedFacts(), inv);
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['memory cgroup controller', true],
      ['kernel command line', true],
      ['static address', true],
      ['default route', true],
      ['hostname', true],
      ['/etc/hosts', true],
      ['cmdline.txt', true],
      ['gpu_mem', true],
      ['swap', true],
    ]);
    expect(result.ok).toBe(true);
  });

  it('on its own kernel, checks that the node booted with the cgroup flags once each', () => {
    const own = { ...preparedFacts(), ownKernel: true };
    expect(verifyNode(node, own, inv).checks.find((c) => c.name === 'booted command line')).toEqual({
      name: 'booted command line',
      expected: 'cgroup_memory=1 and cgroup_enable=memory once each in /proc/cmdline',
      seen: 'cgroup_memory=1 ×1, cgroup_enable=memory ×1',
      ok: true,
    });
    // cmdline.txt was written but the node has not booted with it (or the flags were doubled).
    expect(failed({ ...own, procCmdline: PI_CMDLINE.trim() }).map((c) => [c.name, c.seen])).toEqual([
      ['booted command line', 'cgroup_memory=1 ×0, cgroup_enable=memory ×0'],
    ]);
    expect(failed({ ...own, procCmdline: `${own.procCmdline} cgroup_enable=memory` }).map((c) => c.name)).toEqual(['booted command line']);
    // In a container (or unknown) /proc/cmdline is the host's: no such check.
    for (const ownKernel of [false, undefined]) {
      expect(verifyNode(node, { ...preparedFacts(), ownKernel }, inv).checks.map((c) => c.name)).not.toContain('booted command line');
    }
  });

  it('fails without the memory controller', () => {
    expect(failed({ ...preparedFacts(), cgroup: { version: 2, controllers: ['cpu', 'io'], memoryEnabled: false } })).toEqual([
      { name: 'memory cgroup controller', expected: 'memory in cgroup.controllers', seen: 'cpu io', ok: false },
    ]);
    expect(failed({ ...preparedFacts(), cgroup: { version: 1, controllers: [], memoryEnabled: false } })).toEqual([
      { name: 'memory cgroup controller', expected: 'memory in /proc/cgroups', seen: '(none)', ok: false },
    ]);
  });

  it('fails when firmware appends cgroup_disable=memory after our cgroup_enable=memory', () => {
    const facts = { ...preparedFacts(), procCmdline: 'root=/dev/x cgroup_memory=1 cgroup_enable=memory cgroup_disable=memory' };
    expect(failed(facts)).toEqual([
      {
        name: 'kernel command line',
        expected: 'no cgroup_disable=memory after the last cgroup_enable=memory in /proc/cmdline',
        seen: 'cgroup_disable=memory at argument 4, after cgroup_enable=memory (argument 3)',
        ok: false,
      },
    ]);
  });

  it('passes a /proc/cmdline without any cgroup argument (the lab: the host kernel)', () => {
    expect(failed({ ...preparedFacts(), procCmdline: 'BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro' })).toEqual([]);
  });

  it('fails on the wrong address and the wrong default route', () => {
    const facts = { ...preparedFacts(), interfaces: [{ name: 'eth0', up: true, addresses: ['10.77.0.150/24'] }], defaultRoute: { gateway: '10.77.0.254', interface: 'eth0' } };
    expect(failed(facts)).toEqual([
      { name: 'static address', expected: '10.77.0.11/24 on eth0', seen: '10.77.0.150/24', ok: false },
      { name: 'default route', expected: 'via 10.77.0.1 dev eth0', seen: 'via 10.77.0.254 dev eth0', ok: false },
    ]);
    expect(failed({ ...preparedFacts(), interfaces: [], defaultRoute: undefined }).map((c) => c.seen)).toEqual(['no interface eth0', '(no default route)']);
  });

  it('fails on the wrong hostname', () => {
    expect(failed({ ...preparedFacts(), hostname: 'raspberrypi' })).toEqual([{ name: 'hostname', expected: 'kmaster', seen: 'raspberrypi', ok: false }]);
  });

  it('fails when cmdline.txt has a flag twice, a disable, or two lines', () => {
    const facts = preparedFacts();
    const withCmdline = (content: string): NodeFacts => ({ ...facts, boot: { ...facts.boot!, cmdline: { ...facts.boot!.cmdline, content } } });
    expect(failed(withCmdline('root=/x cgroup_memory=1 cgroup_enable=memory cgroup_enable=memory\n'))).toEqual([
      {
        name: 'cmdline.txt',
        expected: 'cgroup_memory=1 and cgroup_enable=memory once each, no cgroup_disable=memory, one line',
        seen: 'cgroup_memory=1 ×1, cgroup_enable=memory ×2, 1 line(s)',
        ok: false,
      },
    ]);
    expect(failed(withCmdline('root=/x cgroup_memory=1 cgroup_enable=memory cgroup_disable=memory\n'))[0]?.seen).toBe('cgroup_memory=1 ×1, cgroup_enable=memory ×1, cgroup_disable=memory, 1 line(s)');
    expect(failed(withCmdline('root=/x cgroup_memory=1\ncgroup_enable=memory\n'))[0]?.seen).toBe('cgroup_memory=1 ×1, cgroup_enable=memory ×1, 2 line(s)');
  });

  it('fails when gpu_mem is not what the inventory says', () => {
    const facts = preparedFacts();
    const config = { ...facts.boot!.config, content: '[all]\ngpu_mem=64\n' };
    expect(failed({ ...facts, boot: { ...facts.boot!, config } })).toEqual([{ name: 'gpu_mem', expected: 'gpu_mem=16 in /boot/firmware/config.txt', seen: 'gpu_mem=64', ok: false }]);
  });

  it('fails while swap is active', () => {
    const facts = { ...preparedFacts(), swap: { ...preparedFacts().swap, active: [{ device: '/dev/zram0', type: 'partition', sizeKb: 2097148 }] } };
    expect(failed(facts)).toEqual([{ name: 'swap', expected: 'no active swap', seen: '/dev/zram0 (partition, 2097148 kB)', ok: false }]);
    expect(verifyNode(node, facts, inv).ok).toBe(false);
  });

  it('skips the boot checks on a vagrant board and the swap check when swapOff is false', () => {
    const vagrant = makeLabInventory({ board: 'vagrant' });
    const names = verifyNode(firstNode(vagrant), { ...preparedFacts(), boot: undefined }, { ...vagrant, prepare: { ...vagrant.prepare, swapOff: false } }).checks.map((c) => c.name);
    expect(names).toEqual(['memory cgroup controller', 'kernel command line', 'static address', 'default route', 'hostname', '/etc/hosts']);
  });

  it("fails when /etc/hosts was rebuilt at boot (cloud-init's manage_etc_hosts), naming the line it found", () => {
    const facts = preparedFacts();
    const rebuilt = '# Your system has configured \'manage_etc_hosts\' as True.\n127.0.1.1 raspberrypi raspberrypi\n127.0.0.1 localhost\n';
    expect(failed({ ...facts, files: { ...facts.files, '/etc/hosts': { path: '/etc/hosts', content: rebuilt, mode: '644' } } })).toEqual([
      { name: '/etc/hosts', expected: "127.0.1.1 kmaster and the cluster's nodes", seen: '127.0.1.1 raspberrypi raspberrypi (not what kbootstrap wrote)', ok: false },
    ]);
  });

  it('on a node with cloud-init, passes only when it is off at boot or has no seed on the boot partition', () => {
    const seed = ['/boot/firmware/user-data', '/boot/firmware/meta-data'];
    const check = (cloudInit: NodeFacts['cloudInit']) => verifyNode(node, { ...preparedFacts(), cloudInit }, inv).checks.find((c) => c.name === 'cloud-init');
    expect(check(undefined)).toBeUndefined();
    expect(check({ disabled: false, bootSeed: seed })).toEqual({
      name: 'cloud-init', expected: 'off at boot (/etc/cloud/cloud-init.disabled) or no seed on the boot partition', seen: 'applies /boot/firmware/user-data at every boot', ok: false,
    });
    expect(check({ disabled: true, bootSeed: seed })).toMatchObject({ seen: 'off', ok: true });
    expect(check({ disabled: false, bootSeed: [] })).toMatchObject({ seen: 'no seed', ok: true });
  });
});
