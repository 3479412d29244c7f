import { describe, expect, it } from 'vitest';
import { applyChanges, change } from '../../src/phases/change.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

describe('change()', () => {
  it('under --dry-run records the change with its diff and does not apply it', async () => {
    const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name), true);
    let applied = false;
    await change(ctx, ctx.states[0]!, 'set hostname', async () => void (applied = true), '-a\n+b');
    expect(applied).toBe(false);
    expect(ctx.states[0]!.changes).toBe(1);
    expect(ctx.log.events).toEqual([{ kind: 'change', node: 'kmaster', description: 'set hostname', applied: false, diff: '-a\n+b' }]);
  });

  it('otherwise applies it, then reports it applied', async () => {
    const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name));
    let applied = false;
    await change(ctx, ctx.states[0]!, 'set hostname', async () => void (applied = true));
    expect(applied).toBe(true);
    expect(ctx.log.events[0]).toMatchObject({ kind: 'change', applied: true });
  });

  it('does not report a change whose apply failed', async () => {
    const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name));
    await expect(change(ctx, ctx.states[0]!, 'x', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(ctx.log.events).toEqual([]);
  });
});

describe('applyChanges', () => {
  it('writes files with their mode, runs commands with sudo, and shows no diff of a secret file', async () => {
    const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name));
    const t = new FakeTransport('kmaster');
    ctx.states[0]!.transport = t;
    await applyChanges(ctx, ctx.states[0]!, [
      { kind: 'file', description: 'write hostname', path: '/etc/hostname', content: 'kmaster\n', before: 'raspberrypi\n' },
      { kind: 'file', description: 'write k3s config', path: '/etc/rancher/k3s/config.yaml', content: 'token: SEKRIT\n', before: null, mode: 0o600, secret: true },
      { kind: 'command', description: 'apply hostname', command: 'hostname kmaster' },
    ]);
    expect(t.writes).toEqual([
      { path: '/etc/hostname', content: 'kmaster\n', mode: undefined },
      { path: '/etc/rancher/k3s/config.yaml', content: 'token: SEKRIT\n', mode: 0o600 },
    ]);
    expect(t.commands).toEqual(['hostname kmaster']);
    const changes = ctx.log.events.filter((e) => e.kind === 'change');
    expect(changes.map((e) => e.kind === 'change' && e.diff !== undefined)).toEqual([true, false, false]);
    expect(JSON.stringify(ctx.log.events)).not.toContain('SEKRIT');
  });
});
