import { describe, expect, it } from 'vitest';
import { rollOut } from '../../src/phases/rolling.js';
import { makeFacts } from '../support/facts-factory.js';
import { FakeTransport } from '../support/fake-transport.js';
import { HA_INVENTORY, testContext, testInventory } from './fixtures.js';

const READY = (names: string[]) =>
  JSON.stringify({ items: names.map((n) => ({ metadata: { name: n }, status: { conditions: [{ type: 'Ready', status: 'True' }] } })) });

/** Who did what, in order: disruptions (reboots) on the nodes, kubectl on the first server. */
function cluster(opts: { maxUnavailable?: number; drainFails?: string } = {}) {
  const log: string[] = [];
  const ctx = testContext(testInventory(HA_INVENTORY), async (n) => new FakeTransport(n.name));
  ctx.rolling = { maxUnavailable: opts.maxUnavailable ?? 1 };
  const names = ctx.states.map((s) => s.node.name);
  for (const s of ctx.states) {
    s.transport = new FakeTransport(s.node.name, (cmd) => {
      if (cmd.startsWith('k3s kubectl get nodes')) return { stdout: READY(names) };
      if (cmd.startsWith('k3s kubectl')) {
        log.push(cmd.replace(/ --ignore-daemonsets.*/, '').replace(/'/g, ''));
        if (opts.drainFails && cmd.replace(/'/g, '').startsWith(`k3s kubectl drain ${opts.drainFails} `)) return { code: 1 };
      }
      return {};
    });
    const serving = s.node.name !== 'knew';
    s.facts = makeFacts({ k3s: { installed: serving, serviceActive: serving } });
    s.rebootRequired = true;
  }
  let down = 0;
  let maxDown = 0;
  const disrupt = async (state: { node: { name: string } }) => {
    down++;
    maxDown = Math.max(maxDown, down);
    log.push(`reboot ${state.node.name}`);
    await new Promise((r) => setTimeout(r, 20));
    down--;
  };
  return { ctx, log, disrupt, maxDown: () => maxDown };
}

describe('rolling changes on a live cluster', () => {
  it('fresh nodes at once, then servers one by one, then agents drained, rebooted, uncordoned', async () => {
    const c = cluster();
    await rollOut(c.ctx, 'reboot', c.ctx.states, c.disrupt);
    expect(c.log).toEqual([
      'reboot knew',
      'reboot kmaster',
      'reboot kserver2',
      'reboot kserver3',
      'k3s kubectl drain knode1',
      'reboot knode1',
      'k3s kubectl uncordon knode1',
      'k3s kubectl drain knode2',
      'reboot knode2',
      'k3s kubectl uncordon knode2',
    ]);
    expect(c.maxDown()).toBe(1);
    expect(c.ctx.states.every((s) => !s.error)).toBe(true);
  });

  it('--max-unavailable 2 drains and reboots two agents at once', async () => {
    const c = cluster({ maxUnavailable: 2 });
    await rollOut(c.ctx, 'reboot', c.ctx.states.filter((s) => s.node.role === 'agent' && s.node.name !== 'knew'), c.disrupt);
    expect(c.maxDown()).toBe(2);
  });

  it('a drain that does not finish leaves that agent running, uncordoned, and names why; the others go on', async () => {
    const c = cluster({ drainFails: 'knode1' });
    await rollOut(c.ctx, 'reboot', c.ctx.states, c.disrupt);
    expect(c.log).not.toContain('reboot knode1');
    expect(c.log).toContain('k3s kubectl uncordon knode1');
    expect(c.log).toContain('reboot knode2');
    expect(c.ctx.states.find((s) => s.node.name === 'knode1')!.error?.message).toMatch(/^not disrupted: the drain of knode1 did not finish/);
  });

  it('under --dry-run the drain and uncordon are planned on the agent, nothing runs', async () => {
    const c = cluster();
    c.ctx.dryRun = true;
    await rollOut(c.ctx, 'reboot', c.ctx.states.filter((s) => s.node.name === 'knode1'), async () => undefined);
    expect(c.log).toEqual([]);
    expect(c.ctx.log.events.flatMap((e) => (e.kind === 'change' ? [`${e.node}: ${e.description}`] : []))).toEqual([
      'knode1: cordon and drain knode1 (at most 120 s)',
      'knode1: uncordon knode1',
    ]);
  });
});
