import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { candidateHosts, connectState } from '../../src/phases/connect.js';
import { ConnectionLostError, NodeCommandError } from '../../src/ssh/errors.js';
import { testContext, testInventory } from '../phases/fixtures.js';
import { connectFault } from '../support/fake-connect.js';
import { FakeTransport } from '../support/fake-transport.js';

/** The fake fails the way ssh/node-ssh-transport.ts and ssh/connect.ts do, so phase tests see real errors. */
describe('the fake transport\'s errors are the real transport\'s', () => {
  it('run of a failing command: NodeCommandError with node, description, exit code and the redacted stderr tail', async () => {
    const t = new FakeTransport('knode1', () => ({ code: 2, stderr: 'line\n'.repeat(20) + 'failed with hunter2\n' }));
    t.secrets.push('hunter2');
    const err = (await t.run('systemctl restart k3s-agent', { sudo: true }).catch((e: unknown) => e)) as NodeCommandError;
    expect(err).toBeInstanceOf(NodeCommandError);
    expect(err).toBeInstanceOf(UserError);
    expect([err.node, err.description, err.code]).toEqual(['knode1', 'systemctl restart k3s-agent', 2]);
    expect(err.stderrTail.split('\n')).toHaveLength(8);
    expect(err.message).toBe(`systemctl restart k3s-agent failed on knode1 (exit 2): ${'line\n'.repeat(7)}failed with ***`);
  });

  it('exec never throws for a non-zero exit, but a sudo refusal is sudo\'s error naming the node and user', async () => {
    const t = new FakeTransport('knode1', (c) => (c === 'false' ? { code: 1 } : { code: 1, stderr: 'sudo: a password is required\n' }));
    expect((await t.exec('false')).code).toBe(1);
    await expect(t.exec('true', { sudo: true })).rejects.toThrow('sudo on knode1 needs a password for "pi"');
  });

  it('a command that hangs: the timeout error with timeoutMs, ConnectionLostError without', async () => {
    const t = new FakeTransport('knode1', () => ({ hang: true }));
    await expect(t.exec('sleep 99', { timeoutMs: 3000, description: 'wait' })).rejects.toThrow('timed out after 3s on knode1: wait');
    await expect(t.exec('sleep 99')).rejects.toBeInstanceOf(ConnectionLostError);
  });

  it('after the link drops every call fails with ConnectionLostError until reconnect', async () => {
    const t = new FakeTransport('knode1');
    t.loseLink();
    for (const call of [() => t.exec('true'), () => t.readFile('/etc/hostname'), () => t.writeFile('/x', 'y'), () => t.upload('/a', '/b')]) {
      await expect(call()).rejects.toBeInstanceOf(ConnectionLostError);
    }
    await t.reconnect();
    expect((await t.exec('true')).code).toBe(0);
  });

  it('a full disk on write: the disk-full error, file left as it was', async () => {
    const t = new FakeTransport('knode1');
    t.writeRefusal = () => ({ code: 1, stdout: '', stderr: 'No space left on device' });
    await expect(t.writeFile('/etc/hosts', 'x')).rejects.toThrow('disk full on knode1 during: write /etc/hosts');
    expect(t.files.has('/etc/hosts')).toBe(false);
  });
});

describe('connect faults as connectNode raises them, seen by the connect phase', () => {
  const inv = testInventory();

  it('refused and unreachable move on to the next address; the last error names the node', async () => {
    for (const kind of ['refused', 'unreachable', 'handshake-timeout'] as const) {
      const tried: string[] = [];
      const ctx = testContext(inv, async (n, host) => {
        tried.push(host);
        throw connectFault(kind, n, host);
      });
      const err = (await connectState(ctx, ctx.states[1]!).catch((e: unknown) => e)) as UserError;
      expect(tried, kind).toEqual(candidateHosts(ctx.states[1]!));
      expect(err.message, kind).toMatch(/^cannot (connect to|reach) knode1 at 10\.77\.9\.101:22/);
    }
  });

  it('an auth failure or a changed host key stops at the first address', async () => {
    for (const kind of ['auth', 'host-key-changed'] as const) {
      const tried: string[] = [];
      const ctx = testContext(inv, async (n, host) => {
        tried.push(host);
        throw connectFault(kind, n, host);
      });
      const err = (await connectState(ctx, ctx.states[1]!).catch((e: unknown) => e)) as UserError;
      expect(tried, kind).toEqual(['10.77.9.11']);
      expect(err.message, kind).toMatch(kind === 'auth' ? /^authentication failed for pi@10\.77\.9\.11:22 \(node knode1\)$/ : /^host key of knode1 \(10\.77\.9\.11:22\) has CHANGED/);
    }
  });
});
