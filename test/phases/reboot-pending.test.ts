import { describe, expect, it } from 'vitest';
import { prepareOsPhase } from '../../src/phases/prepare-os.js';
import { rebootPhase } from '../../src/phases/reboot.js';
import { REBOOT_PENDING_FILE } from '../../src/phases/reboot-pending.js';
import { runPhases } from '../../src/phases/manager.js';
import { makeFacts } from '../support/facts-factory.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

const BOOT = 'b0000000-0000-4000-8000-000000000001';
const PREPARED = {
  hostname: 'kmaster',
  interfaces: [{ name: 'eth0', up: true, addresses: ['10.77.9.10/24'] }],
};

function oneNode(facts: Parameters<typeof makeFacts>[0], dryRun = false) {
  const inv = testInventory();
  inv.nodes = inv.nodes.slice(0, 1);
  let rebooted = false;
  const t = new FakeTransport('kmaster', (cmd) => {
    if (cmd.includes('systemctl reboot')) rebooted = true;
    return cmd.startsWith('test -e /run/kbootstrap-reboot-pending') ? { code: rebooted ? 1 : 0 } : {};
  });
  const ctx = testContext(inv, async () => t, dryRun);
  ctx.states[0]!.transport = t;
  ctx.states[0]!.facts = makeFacts({ bootId: BOOT, ...facts });
  return { ctx, t, state: ctx.states[0]! };
}

describe('a reboot left pending is recorded on the node and done by the next run', () => {
  it('the marker (this boot id + reasons) is written before the changes that need the reboot', async () => {
    const { ctx, t } = oneNode({});
    await runPhases(ctx, [prepareOsPhase]);
    expect(t.writes[0]!.path).toBe(REBOOT_PENDING_FILE);
    const [boot, ...reasons] = t.writes[0]!.content.trim().split('\n');
    expect(boot).toBe(BOOT);
    expect(reasons.length).toBeGreaterThan(0);
    expect(t.writes.slice(1).map((w) => w.path)).toContain('/boot/firmware/cmdline.txt');
  });

  it('a node with nothing left to change but a pending reboot is rebooted, and the marker removed', async () => {
    const prepared = oneNode({});
    await runPhases(prepared.ctx, [prepareOsPhase]);
    // The next run sees the files already right (the first run wrote them) and the marker of this boot.
    const facts = { files: { ...makeFacts().files, ...Object.fromEntries(prepared.t.writes.map((w) => [w.path, { path: w.path, content: w.content, ...(w.mode === undefined ? {} : { mode: w.mode.toString(8) }) }])) } };
    const cmdline = prepared.t.files.get('/boot/firmware/cmdline.txt')!;
    const next = oneNode({
      ...PREPARED, ...facts, rebootPending: ['boot config changed'],
      boot: { dir: '/boot/firmware', cmdline: { path: '/boot/firmware/cmdline.txt', content: cmdline }, config: { path: '/boot/firmware/config.txt', content: prepared.t.files.get('/boot/firmware/config.txt') ?? 'arm_64bit=1\n' } },
    });
    await runPhases(next.ctx, [prepareOsPhase]);
    expect(next.t.writes).toEqual([]);
    expect(next.state.rebootRequired).toBe(true);
    expect(next.state.rebootReasons).toEqual(['boot config changed (pending from an earlier run)']);
    await runPhases(next.ctx, [rebootPhase]);
    expect(next.state.rebooted).toBe(true);
    expect(next.t.commands).toContain(`rm -f -- ${REBOOT_PENDING_FILE}`);
  }, 20_000);

  it('under --dry-run the marker is only planned', async () => {
    const { ctx, t } = oneNode({}, true);
    await runPhases(ctx, [prepareOsPhase]);
    expect(t.writes).toEqual([]);
    expect(ctx.log.events.some((e) => e.kind === 'change' && e.description.includes(REBOOT_PENDING_FILE) && !e.applied)).toBe(true);
  });

  it('nothing pending and nothing to change: no reboot', async () => {
    const { ctx, state } = oneNode({ rebootPending: [] });
    state.facts = { ...state.facts!, ...PREPARED };
    await runPhases(ctx, [prepareOsPhase]);
    expect(state.rebootReasons.filter((r) => r.includes('earlier run'))).toEqual([]);
  });
});
