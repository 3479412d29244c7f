import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { candidateHosts, connectState } from '../../src/phases/connect.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

const unreachable = (host: string) => new UserError(`cannot reach at ${host}`, { cause: Object.assign(new Error('x'), { code: 'EHOSTUNREACH' }) });

describe('connecting to a node', () => {
  it('tries the static IP first, then the current address', () => {
    const ctx = testContext(testInventory(), async (n) => new FakeTransport(n.name));
    expect(candidateHosts(ctx.states[0]!)).toEqual(['10.77.9.10', '10.77.9.100']);
  });

  it('moves on to the next address only when nobody answered', async () => {
    const tried: string[] = [];
    const ctx = testContext(testInventory(), async (n, host) => {
      tried.push(host);
      if (host === '10.77.9.10') throw unreachable(host);
      return new FakeTransport(n.name);
    });
    await connectState(ctx, ctx.states[0]!);
    expect(tried).toEqual(['10.77.9.10', '10.77.9.100']);
    expect(ctx.states[0]!.host).toBe('10.77.9.100');
  });

  it('stops at a wrong password or a changed host key instead of trying another address', async () => {
    const tried: string[] = [];
    const ctx = testContext(testInventory(), async (_n, host) => {
      tried.push(host);
      throw new UserError('host key changed', { cause: new Error('mismatch') });
    });
    await expect(connectState(ctx, ctx.states[0]!)).rejects.toThrow('host key changed');
    expect(tried).toEqual(['10.77.9.10']);
  });
});
