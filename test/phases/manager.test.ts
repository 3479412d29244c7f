import { describe, expect, it } from 'vitest';
import { runPerNode, runPhases } from '../../src/phases/manager.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

const connect = async (node: { name: string }) => new FakeTransport(node.name);

describe('runPerNode', () => {
  it('marks the failing node, names it in the event, and lets the others finish', async () => {
    const ctx = testContext(testInventory(), connect);
    const done: string[] = [];
    await runPerNode(ctx, 'prepare', ctx.states, async (s) => {
      if (s.node.name === 'knode1') throw new Error('disk on fire');
      done.push(s.node.name);
    });
    expect(done.sort()).toEqual(['kmaster', 'knode2']);
    expect(ctx.states.find((s) => s.node.name === 'knode1')?.error?.message).toBe('disk on fire');
    expect(ctx.log.events).toContainEqual({ kind: 'node-step', node: 'knode1', phase: 'prepare', status: 'failed', text: 'disk on fire' });
  });

  it('never runs more nodes at once than the limit', async () => {
    const ctx = testContext(testInventory(), connect);
    let running = 0;
    let peak = 0;
    await runPerNode(ctx, 'x', ctx.states, async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
    }, 2);
    expect(peak).toBe(2);
  });

  it('skips nodes that already failed in an earlier phase', async () => {
    const ctx = testContext(testInventory(), connect);
    ctx.states[0]!.error = new Error('unreachable');
    const seen: string[] = [];
    await runPerNode(ctx, 'x', ctx.states, async (s) => void seen.push(s.node.name));
    expect(seen).toEqual(['knode1', 'knode2']);
  });
});

describe('runPhases', () => {
  it('skips a phase with no node left to work on, and runs the next', async () => {
    const ctx = testContext(testInventory(), connect);
    const ran: string[] = [];
    await runPhases(ctx, [
      { title: 'Nothing to do', select: () => [], run: async () => void ran.push('nothing') },
      { title: 'Work', run: async (_c, nodes) => void ran.push(`work:${nodes.length}`) },
    ]);
    expect(ran).toEqual(['work:3']);
    expect(ctx.log.events).toContainEqual({ kind: 'phase-end', phase: 'Nothing to do', ok: true, skipped: true });
  });
});
