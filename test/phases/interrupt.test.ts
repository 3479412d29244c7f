import { describe, expect, it } from 'vitest';
import { finish } from '../../src/actions/session.js';
import { ExitCode } from '../../src/errors.js';
import { change } from '../../src/phases/change.js';
import { runPerNode, runPhases, type Phase } from '../../src/phases/manager.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

/** Ctrl-C: the change in flight finishes, nothing new starts (change, node, phase), the summary says so, exit 130. */
describe('a stop request (Ctrl-C / SIGTERM)', () => {
  it('lets the write in flight finish and starts nothing after it', async () => {
    const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name));
    ctx.stop = { requested: false };
    for (const s of ctx.states) s.transport = new FakeTransport(s.node.name);
    const laterPhase: Phase = { title: 'Later', run: async () => { throw new Error('must not start'); } };
    const writes: Phase = {
      title: 'Writes',
      run: (c, nodes) =>
        runPerNode(c, 'writes', nodes, async (state) => {
          await change(c, state, 'write /etc/a', async () => {
            ctx.stop!.requested = true; // Ctrl-C arrives while this write is in flight
            ctx.stop!.signal = 'SIGINT';
            await state.transport!.writeFile('/etc/a', 'a\n');
          });
          await change(c, state, 'write /etc/b', () => state.transport!.writeFile('/etc/b', 'b\n'));
        }, 1),
    };
    await runPhases(ctx, [writes, laterPhase]);

    const [first, ...others] = ctx.states;
    expect((first!.transport as FakeTransport).writes.map((w) => w.path)).toEqual(['/etc/a']);
    for (const s of others) expect((s.transport as FakeTransport).writes, s.node.name).toEqual([]);
    expect(first!.error?.message).toBe('interrupted (SIGINT) before write /etc/b');
    expect(others.map((s) => s.error?.message)).toEqual(['interrupted (SIGINT) before writes', 'interrupted (SIGINT) before writes']);
    expect(ctx.log.events.some((e) => e.kind === 'message' && e.text === 'interrupted: Later and the steps after it were not started')).toBe(true);
    expect(finish(ctx)).toBe(ExitCode.interrupted);
    const summary = ctx.log.events.find((e) => e.kind === 'summary');
    expect(summary?.kind === 'summary' && summary.nodes.map((n) => n.outcome)).toEqual(['failed', 'failed', 'failed']);
  });

  it('without a stop, the same phases run to the end', async () => {
    const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name));
    ctx.stop = { requested: false };
    for (const s of ctx.states) s.transport = new FakeTransport(s.node.name);
    await runPhases(ctx, [{ title: 'Writes', run: (c, nodes) => runPerNode(c, 'w', nodes, (s) => change(c, s, 'write /etc/a', () => s.transport!.writeFile('/etc/a', 'a\n'))) }]);
    expect(ctx.states.every((s) => (s.transport as FakeTransport).writes.length === 1)).toBe(true);
    expect(finish(ctx)).toBe(ExitCode.ok);
  });
});
