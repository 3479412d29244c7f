import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initCommandPhases } from '../../src/phases/lists.js';
import { runPhases } from '../../src/phases/manager.js';
import { makeFacts } from '../support/facts-factory.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from '../phases/fixtures.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Fresh nodes with their facts gathered, as init has them when it asks; the user answers `answer`. */
async function asked(skipPrepare: boolean, answer: boolean) {
  dir = await mkdtemp(join(tmpdir(), 'kb-confirm-'));
  const inv = testInventory();
  inv.k3s.binary.cacheDir = join(dir, 'cache');
  inv.kubeconfig.path = join(dir, 'kube', 'config');
  inv.kubeconfig.merge = false;
  const ctx = testContext(inv, async (n) => new FakeTransport(n.name));
  ctx.states.forEach((s, i) => {
    s.transport = new FakeTransport(s.node.name);
    s.facts = makeFacts({ arch: 'x86_64', machineId: String(i).repeat(32), interfaces: [{ name: 'eth0', up: true, addresses: [`10.77.9.${100 + i}/24`] }], defaultRoute: { gateway: '10.77.9.1', interface: 'eth0' } });
  });
  const confirm = vi.fn(async () => answer);
  ctx.confirm = confirm;
  // init's list under the lock starts with its preview: only that step runs here, so nothing is applied.
  const preview = initCommandPhases({ skipPrepare, skipAddons: true }).locked[0]!;
  const go = await runPhases(ctx, [preview]).then(() => true, (err: unknown) => {
    if ((err as Error).name === 'DeclinedError') return false;
    throw err;
  });
  const planned = ctx.log.events.flatMap((e) => (e.kind === 'change' ? [`${e.node}: ${e.description}`] : []));
  return { ctx, confirm, go, planned };
}

describe('init asks before it changes anything', () => {
  it('--skip-prepare still shows the plan (k3s, kubeconfig; no preparation) and asks; a no stops it', async () => {
    const r = await asked(true, false);
    expect(r.confirm).toHaveBeenCalledTimes(1);
    expect(r.confirm).toHaveBeenCalledWith(expect.stringMatching(/^Planned \(listed above\): kmaster: \d+ change/), undefined);
    expect(r.go).toBe(false);
    expect(r.planned.some((p) => /^kmaster: .*k3s/.test(p))).toBe(true);
    expect(r.planned.some((p) => /kubeconfig/.test(p))).toBe(true);
    expect(r.planned.filter((p) => /hostname|\/etc\/hosts|cmdline\.txt|static IP/.test(p))).toEqual([]);
    // The preview ran as a dry run and left the run as it found it.
    expect(r.ctx.dryRun).toBe(false);
    expect(r.ctx.states.every((s) => s.changes === 0 && !s.rebootRequired)).toBe(true);
    for (const s of r.ctx.states) expect((s.transport as FakeTransport).writes).toEqual([]);
  });

  it('without --skip-prepare the same question covers the preparation too', async () => {
    const r = await asked(false, true);
    expect(r.confirm).toHaveBeenCalledTimes(1);
    expect(r.go).toBe(true);
    expect(r.planned.some((p) => /^kmaster: set hostname kmaster/.test(p))).toBe(true);
  });
});
