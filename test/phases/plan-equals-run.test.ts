import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/log/events.js';
import { prepareOsPhase } from '../../src/phases/prepare-os.js';
import { runPhases } from '../../src/phases/manager.js';
import { makeFacts } from '../support/facts-factory.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

function freshNodes(dryRun: boolean) {
  const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name), dryRun);
  ctx.states.forEach((s, i) => {
    s.transport = new FakeTransport(s.node.name);
    s.facts = makeFacts({
      machineId: String(i).repeat(32),
      interfaces: [{ name: 'eth0', up: true, addresses: [`10.77.9.${100 + i}/24`] }],
      defaultRoute: { gateway: '10.77.9.1', interface: 'eth0' },
      files: { '/etc/hostname': { path: '/etc/hostname', content: 'raspberrypi\n' }, '/etc/hosts': { path: '/etc/hosts', content: '127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n' } },
    });
  });
  return ctx;
}

const changes = (events: LogEvent[]) =>
  events.flatMap((e) => (e.kind === 'change' ? [{ node: e.node, description: e.description, diff: e.diff }] : []));

describe('plan and run share one path', () => {
  it('a dry run lists exactly the changes the real run then applies, diffs included', async () => {
    const planned = freshNodes(true);
    await runPhases(planned, [prepareOsPhase]);
    const applied = freshNodes(false);
    await runPhases(applied, [prepareOsPhase]);

    expect(changes(planned.log.events).length).toBeGreaterThan(3);
    expect(changes(applied.log.events)).toEqual(changes(planned.log.events));
    expect(planned.states.every((s) => (s.transport as FakeTransport).writes.length === 0)).toBe(true);
    expect(applied.states.map((s) => (s.transport as FakeTransport).writes.map((w) => w.path))).toContainEqual(
      expect.arrayContaining(['/etc/hostname', '/etc/hosts', '/boot/firmware/cmdline.txt']),
    );
    expect(applied.states.every((s) => s.rebootRequired)).toBe(true);
  });
});
