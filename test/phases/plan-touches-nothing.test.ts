import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initPhases } from '../../src/phases/lists.js';
import { runPhases } from '../../src/phases/manager.js';
import { makeFacts } from '../support/facts-factory.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The whole init list under --dry-run on fresh nodes: every step is planned, nothing is written anywhere. */
async function planFresh(opts: { installKey?: string } = {}) {
  dir = await mkdtemp(join(tmpdir(), 'kb-plan-'));
  const inv = testInventory();
  inv.k3s.binary.cacheDir = join(dir, 'cache');
  inv.kubeconfig.path = join(dir, 'kube', 'config');
  inv.kubeconfig.merge = false;
  if (opts.installKey) for (const n of inv.nodes) n.connect.installKey = opts.installKey;
  const ctx = testContext(inv, async (n) => new FakeTransport(n.name), true);
  ctx.states.forEach((s, i) => {
    // authorized_keys lacks the key (grep exits 1); everything else answers empty.
    s.transport = new FakeTransport(s.node.name, (cmd) => (cmd.includes('authorized_keys') ? { code: 1 } : {}));
    s.facts = makeFacts({ arch: 'x86_64', machineId: String(i).repeat(32), interfaces: [{ name: 'eth0', up: true, addresses: [`10.77.9.${100 + i}/24`] }], defaultRoute: { gateway: '10.77.9.1', interface: 'eth0' } });
  });
  await runPhases(ctx, initPhases().slice(0, -1));
  return { ctx, dir };
}

describe('plan changes nothing anywhere', () => {
  it('no write, upload or install on any node; no download, cache or kubeconfig on the workstation', async () => {
    const pub = join(await mkdtemp(join(tmpdir(), 'kb-key-')), 'id.pub');
    await writeFile(pub, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForThePlanTestOnly000000000000000 me@laptop\n');
    const { ctx, dir: d } = await planFresh({ installKey: pub });
    for (const s of ctx.states) {
      const t = s.transport as FakeTransport;
      expect(t.writes, s.node.name).toEqual([]);
      expect(t.commands.filter((c) => c.startsWith('upload') || /\bauthorized_keys\b.*>>|systemctl (start|restart|enable)|reboot/.test(c)), s.node.name).toEqual([]);
    }
    expect(await readdir(d)).toEqual([]);
    const planned = ctx.log.events.flatMap((e) => (e.kind === 'change' ? [`${e.node}: ${e.description}`] : []));
    expect(ctx.log.events.every((e) => e.kind !== 'change' || !e.applied)).toBe(true);
    for (const n of ['kmaster', 'knode1', 'knode2']) expect(planned.some((p) => p.startsWith(`${n}: install the SSH public key`))).toBe(true);
    expect(planned.some((p) => /^kmaster: write kubeconfig context "testlab" to .*kube\/config \(on this workstation\)$/.test(p))).toBe(true);
    expect(planned.some((p) => /k3s/.test(p))).toBe(true);
    const download = ctx.log.events.find((e) => e.kind === 'message' && /would download/.test(e.text));
    expect(download?.kind === 'message' && download.text).toMatch(/^k3s v\S+ for amd64: would download \S+k3s .* into /);
  });
});
