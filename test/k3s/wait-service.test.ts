import { describe, expect, it } from 'vitest';
import { CRASH_LOOP_RESTARTS, waitForService } from '../../src/phases/k3s-install.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from '../phases/fixtures.js';

function agentState(handler: ConstructorParameters<typeof FakeTransport>[1]) {
  const ctx = testContext(testInventory(), async () => new FakeTransport('x'));
  const state = ctx.states.find((s) => s.node.name === 'knode1')!;
  state.transport = new FakeTransport('knode1', handler);
  return { ctx, state, transport: state.transport as FakeTransport };
}

// With Type=notify (install.sh) a k3s that keeps exiting stays "activating": kbootstrap reports it
// after a few restarts with its log instead of waiting for the Ready timeout.
describe('waitForService', () => {
  it('fails fast with the journal when the unit keeps restarting without becoming active', async () => {
    let restarts = 0;
    const { ctx, state } = agentState((cmd) => {
      if (cmd.startsWith('systemctl is-active')) return { code: 3 };
      if (cmd.startsWith('systemctl show -p NRestarts')) return { stdout: `${restarts++}\n` };
      if (cmd.startsWith('journalctl')) return { stdout: 'level=fatal msg="flag provided but not defined: -kubelet-args"\n' };
      return {};
    });
    const started = Date.now();
    await expect(waitForService(ctx, state, 60_000, 1)).rejects.toThrow(`k3s-agent keeps exiting (restarted ${CRASH_LOOP_RESTARTS} times):\nlevel=fatal msg="flag provided but not defined: -kubelet-args"`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('returns once the unit is active', async () => {
    let polls = 0;
    const { ctx, state, transport } = agentState((cmd) => (cmd.startsWith('systemctl is-active') ? { code: polls++ < 2 ? 3 : 0 } : { stdout: '0\n' }));
    await waitForService(ctx, state, 60_000, 1);
    expect(transport.commands.filter((c) => c.startsWith('systemctl is-active'))).toHaveLength(3);
  });
});
