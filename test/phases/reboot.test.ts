import { describe, expect, it } from 'vitest';
import { REBOOT_COMMAND, rebootAndWait } from '../../src/phases/reboot.js';
import { UserError } from '../../src/errors.js';
import { ConnectionLostError } from '../../src/ssh/errors.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

describe('rebootAndWait', () => {
  it('waits until the reboot marker in /run is gone, on the static IP', async () => {
    let markerChecks = 0;
    const t = new FakeTransport('kmaster', (cmd) => (cmd.startsWith('test -e') ? { code: ++markerChecks < 2 ? 0 : 1 } : {}));
    const ctx = testContext(testInventory(), async () => t);
    const state = ctx.states[0]!;
    state.transport = t;
    await rebootAndWait(ctx, state);
    expect(t.commands[0]).toBe(REBOOT_COMMAND);
    expect(markerChecks).toBe(2);
    expect(t.stats.connections).toBe(3);
    expect(state.host).toBe('10.77.9.10');
  }, 20_000);

  it('a connection lost while checking the marker right after coming back is not back yet: it polls again', async () => {
    let markerChecks = 0;
    const t = new FakeTransport('kmaster', (cmd) => {
      if (!cmd.startsWith('test -e')) return {};
      if (++markerChecks === 1) throw new ConnectionLostError('kmaster', '10.77.9.10:22', cmd);
      return { code: 1 };
    });
    const ctx = testContext(testInventory(), async () => t);
    const state = ctx.states[0]!;
    state.transport = t;
    await rebootAndWait(ctx, state);
    expect(markerChecks).toBe(2);
  }, 20_000);

  it('gives up after the inventory\'s reboot timeout, naming the node and the addresses tried', async () => {
    const t = new FakeTransport('knode1');
    t.reconnect = async () => {
      throw new UserError('cannot reach', { cause: Object.assign(new Error('x'), { code: 'EHOSTUNREACH' }) });
    };
    const inv = testInventory();
    inv.prepare.rebootTimeout = 3;
    const ctx = testContext(inv, async () => t);
    const state = ctx.states[1]!;
    state.transport = t;
    const err = await rebootAndWait(ctx, state).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('knode1 did not come back within 3 s after the reboot');
    expect((err as UserError).hint).toMatch(/tried 10\.77\.9\.11, 10\.77\.9\.101/);
  }, 20_000);
});

describe('a node on DHCP that does not come back', () => {
  it('says its lease may have changed and how to find it', async () => {
    const t = new FakeTransport('kmaster');
    t.reconnect = async () => {
      throw new UserError('cannot reach', { cause: Object.assign(new Error('x'), { code: 'EHOSTUNREACH' }) });
    };
    const inv = testInventory(`
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100 }
`);
    inv.prepare.rebootTimeout = 3;
    const ctx = testContext(inv, async () => t);
    const state = ctx.states[0]!;
    state.transport = t;
    state.host = '10.77.9.100';
    const err = (await rebootAndWait(ctx, state).catch((e: unknown) => e)) as UserError;
    expect(err.message).toBe('kmaster did not come back within 3 s after the reboot; it has no static IP, so its DHCP lease may have given it a new address instead of 10.77.9.100');
    expect(err.hint).toMatch(/^tried 10\.77\.9\.100; look up the node's new address in your router's DHCP leases/);
  }, 20_000);
});
