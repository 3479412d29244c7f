import { describe, expect, it } from 'vitest';
import { serverTurn } from '../../src/phases/rolling.js';
import { makeFacts } from '../support/facts-factory.js';
import { FakeTransport } from '../support/fake-transport.js';
import { HA_INVENTORY, testContext, testInventory } from './fixtures.js';


const nodeList = (ready: Record<string, boolean>) =>
  JSON.stringify({ items: Object.entries(ready).map(([n, r]) => ({ metadata: { name: n }, status: { conditions: [{ type: 'Ready', status: r ? 'True' : 'False' }] } })) });

/** kserver2's turn; the first server answers `kubectl get nodes` with kserver2 NotReady `notReadyPolls` times, then Ready. */
function turn(opts: { serving: boolean; notReadyPolls: number; dryRun?: boolean }) {
  const log: string[] = [];
  const ctx = testContext(testInventory(HA_INVENTORY), async (n) => new FakeTransport(n.name), opts.dryRun ?? false);
  let polls = 0;
  for (const s of ctx.states) {
    s.transport = new FakeTransport(s.node.name, (cmd) => {
      if (!cmd.startsWith('k3s kubectl get nodes')) return {};
      polls++;
      log.push(`${s.node.name}: get nodes`);
      return { stdout: nodeList({ kmaster: true, kserver2: polls > opts.notReadyPolls, kserver3: true }) };
    });
    s.facts = makeFacts({ k3s: { installed: opts.serving, serviceActive: opts.serving } });
  }
  const state = ctx.states[1]!;
  const apply = (restarts: boolean) => async () => {
    log.push('restart k3s on kserver2');
    return restarts;
  };
  return { ctx, state, log, apply };
}

describe("a server's turn (the k3s servers phase, one server at a time)", () => {
  it('a serving server whose k3s restarted is Ready again, as the first server sees it, before its turn ends', async () => {
    const t = turn({ serving: true, notReadyPolls: 1 });
    await serverTurn(t.ctx, t.state, t.apply(true));
    expect(t.log).toEqual(['restart k3s on kserver2', 'kmaster: get nodes', 'kmaster: get nodes']);
    expect(t.ctx.log.events.some((e) => e.kind === 'node-step' && e.node === 'kserver2' && e.text === 'Ready again')).toBe(true);
  });

  it('waits for nothing when the k3s did not restart, when the server was not in the cluster yet, or under --dry-run', async () => {
    for (const [opts, restarts] of [[{ serving: true, notReadyPolls: 0 }, false], [{ serving: false, notReadyPolls: 0 }, true], [{ serving: true, notReadyPolls: 0, dryRun: true }, true]] as const) {
      const t = turn(opts);
      await serverTurn(t.ctx, t.state, t.apply(restarts));
      expect(t.log, JSON.stringify(opts)).toEqual(['restart k3s on kserver2']);
    }
  });
});
