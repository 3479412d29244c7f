import { describe, expect, it } from 'vitest';
import { finish } from '../../src/actions/session.js';
import { ExitCode } from '../../src/errors.js';
import { parseNodeList } from '../../src/k3s/nodes.js';
import { waitForReadyOrMark } from '../../src/phases/not-ready.js';
import { testContext, testInventory } from './fixtures.js';

const LIST = JSON.stringify({
  items: [
    { metadata: { name: 'kmaster' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'knode1' }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready' }] } },
  ],
});

/** A node that stays NotReady fails alone, naming what it reported; the run goes on and ends with exit 3. */
describe('a NotReady node does not sink the run', () => {
  it('marks only the nodes that are not Ready, with their reason, after the deadline', async () => {
    const ctx = testContext(testInventory(), async () => { throw new Error('unused'); });
    const cluster = await waitForReadyOrMark(ctx, async () => parseNodeList(LIST), ctx.states, 300, 50);
    expect(cluster.map((n) => n.name)).toEqual(['kmaster', 'knode1']);
    const [kmaster, knode1, knode2] = ctx.states;
    expect(kmaster!.error).toBeUndefined();
    expect(knode1!.error?.message).toBe('knode1 is NotReady (KubeletNotReady: container runtime network not ready) after 0 s');
    expect(knode2!.error?.message).toBe('knode2 is not registered with the cluster after 0 s');
    expect(finish(ctx)).toBe(ExitCode.partialFailure);
  });

  it('returns as soon as every node is Ready', async () => {
    const ctx = testContext(testInventory(), async () => { throw new Error('unused'); });
    let calls = 0;
    const ready = JSON.stringify({ items: ctx.states.map((s) => ({ metadata: { name: s.node.name }, status: { conditions: [{ type: 'Ready', status: 'True' }] } })) });
    await waitForReadyOrMark(ctx, async () => parseNodeList(++calls < 3 ? LIST : ready), ctx.states, 10_000, 10);
    expect(calls).toBe(3);
    expect(ctx.states.every((s) => !s.error)).toBe(true);
  });
});
