import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../src/facts/types.js';
import { UserError } from '../../src/errors.js';
import { planNodePreparation, preparationProblems } from '../../src/os/plan.js';
import { applyFileChanges, firstNode, makeFacts, makeLabInventory, type Release } from '../support/facts-factory.js';

const inv = makeLabInventory();
const node = firstNode(inv);

/** The facts after a plan ran: its files written, its commands done (hostname set, swap off). */
function afterRun(facts: NodeFacts, plan: ReturnType<typeof planNodePreparation>): NodeFacts {
  const next = applyFileChanges(facts, plan.changes);
  return { ...next, hostname: node.name, swap: { ...next.swap, active: [], dphysSwapfile: { ...next.swap.dphysSwapfile, enabled: false } } };
}

describe('planNodePreparation', () => {
  it('orders changes hostname, hosts, network, boot config, swap (Trixie)', () => {
    const plan = planNodePreparation(node, makeFacts('trixie'), inv);
    expect(plan.changes.map((c) => (c.kind === 'file' ? c.path : c.kind === 'command' ? c.command : c.description))).toEqual([
      '/etc/hostname',
      'hostname kmaster',
      '/etc/hosts',
      '/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection',
      '/boot/firmware/cmdline.txt',
      '/boot/firmware/config.txt',
      '/etc/rpi/swap.conf.d/99-kbootstrap-swap-off.conf',
      'swapoff -a',
    ]);
    expect(plan.rebootRequired).toBe(true);
    expect(plan.rebootReasons).toEqual(['network configuration changed', 'kernel command line changed', 'config.txt changed']);
  });

  it('uses each release\'s own network stack', () => {
    const networkPath = (r: Release) =>
      planNodePreparation(node, makeFacts(r), inv).changes.find((c) => c.kind === 'file' && /NetworkManager|dhcpcd|netplan/.test(c.path));
    expect(networkPath('bookworm')).toMatchObject({ path: '/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection' });
    expect(networkPath('bullseye')).toMatchObject({ path: '/etc/dhcpcd.conf' });
    expect(networkPath('ubuntu')).toMatchObject({ path: '/etc/netplan/60-kbootstrap.yaml' });
  });

  it('falls back to the release when no network daemon was seen running (the emulated lab)', () => {
    const plan = planNodePreparation(node, makeFacts('trixie', { networkStack: 'unknown' }), inv);
    expect(plan.changes.some((c) => c.kind === 'file' && c.path.endsWith('kbootstrap-eth0.nmconnection'))).toBe(true);
  });

  it('is idempotent for every release: the planned result fed back as facts plans nothing and no reboot', () => {
    for (const release of ['trixie', 'bookworm', 'bullseye', 'ubuntu', 'vagrant'] as const) {
      const facts = makeFacts(release);
      const first = planNodePreparation(node, facts, inv);
      expect(first.changes.length, release).toBeGreaterThan(0);
      expect(planNodePreparation(node, afterRun(facts, first), inv), release).toEqual({ changes: [], rebootRequired: false, rebootReasons: [] });
    }
  });

  it('needs no reboot for hostname, hosts and swap alone', () => {
    const noStatic = makeLabInventory({ staticIps: false });
    const facts = makeFacts('bookworm');
    const prepared = afterRun(facts, planNodePreparation(firstNode(inv), facts, inv));
    const plan = planNodePreparation(firstNode(noStatic), { ...prepared, hostname: 'raspberrypi', swap: facts.swap }, noStatic);
    expect(plan.changes.map((c) => c.description)).toEqual([
      'rename the running system from raspberrypi to kmaster',
      'name kmaster and list 2 cluster node(s) in /etc/hosts',
      'turn off and disable dphys-swapfile (removes its swap file)',
      'turn off active swap (/var/swap)',
    ]);
    expect(plan.rebootRequired).toBe(false);
  });

  it('touches no boot files on vagrant/generic boards or without a boot partition', () => {
    const vagrant = makeLabInventory({ board: 'vagrant' });
    const paths = (n = firstNode(vagrant), f = makeFacts('trixie'), i = vagrant) =>
      planNodePreparation(n, f, i).changes.flatMap((c) => (c.kind === 'file' ? [c.path] : []));
    expect(paths().filter((p) => p.startsWith('/boot'))).toEqual([]);
    expect(paths(node, makeFacts('trixie', { boot: undefined }), inv).filter((p) => p.startsWith('/boot'))).toEqual([]);
  });

  it('respects prepare.cgroups=false and swapOff=false', () => {
    const off = { ...inv, prepare: { ...inv.prepare, cgroups: false, swapOff: false } };
    const plan = planNodePreparation(node, makeFacts('bookworm'), off);
    expect(plan.changes.some((c) => c.kind === 'file' && c.path.endsWith('cmdline.txt'))).toBe(false);
    expect(plan.changes.some((c) => c.kind === 'command' && c.command.includes('swap'))).toBe(false);
    expect(plan.rebootReasons).toEqual(['network configuration changed', 'config.txt changed']);
  });

  it('refuses a static IP on a stack it cannot configure, naming the node (and says nothing without a static IP)', () => {
    const facts = makeFacts('bookworm', { networkStack: 'ifupdown' });
    const problems = preparationProblems(node, facts);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBeInstanceOf(UserError);
    expect(problems[0]?.message).toBe('cannot set the static IP 10.77.0.11: the network on Debian GNU/Linux 12 (bookworm) is managed by ifupdown, which kbootstrap does not configure');
    expect(problems[0]?.where).toEqual({ node: 'kmaster' });
    expect(() => planNodePreparation(node, facts, inv)).toThrow(problems[0]?.message);
    const noStatic = makeLabInventory({ staticIps: false });
    expect(preparationProblems(firstNode(noStatic), facts)).toEqual([]);
    expect(preparationProblems(node, makeFacts('bookworm', { networkStack: 'unknown', osRelease: { id: 'alpine' } }))).toHaveLength(1);
  });
});
