import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { acquireRunLock, RUN_LOCK_FILE } from '../../src/phases/lock.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

/** A first server whose lock file behaves like the shell's noclobber (create fails when it exists). */
function sharedServer() {
  const files = new Map<string, string>();
  const make = () => {
    const t = new FakeTransport('kmaster', (cmd) => {
      if (cmd.includes('set -C')) {
        if (files.has(RUN_LOCK_FILE)) return { code: 1 };
        files.set(RUN_LOCK_FILE, /printf '%s\\n' '(.*)' >/.exec(cmd)![1]!);
        return {};
      }
      if (cmd.startsWith('grep -qF')) {
        const token = /grep -qF (\S+)/.exec(cmd)![1]!.replace(/'/g, '');
        if (files.get(RUN_LOCK_FILE)?.includes(token)) files.delete(RUN_LOCK_FILE);
        return {};
      }
      if (cmd.startsWith(`rm -f -- ${RUN_LOCK_FILE}`)) files.delete(RUN_LOCK_FILE);
      return {};
    });
    t.readFile = async (p) => files.get(p);
    return t;
  };
  return { files, make };
}

function runOn(t: FakeTransport) {
  const ctx = testContext(testInventory(), async () => t);
  ctx.states[0]!.transport = t;
  ctx.states[0]!.host = '10.77.9.10';
  return ctx;
}

describe('one run at a time: the lock on the first server', () => {
  it('a second run is refused, naming the holder, since when, and how to clear a stale lock', async () => {
    const server = sharedServer();
    const first = await acquireRunLock(runOn(server.make()), 'init');
    expect(first?.holder.command).toBe('init');
    const err = await acquireRunLock(runOn(server.make()), 'init').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(new RegExp(`^cluster is locked by \`kbootstrap init\` of \\S+@${hostname()} \\(pid ${process.pid}\\) since \\d{4}-\\d\\d-\\d\\dT`));
    expect((err as UserError).hint).toBe(`wait for that run to finish; if it is gone (its machine crashed or lost the link), remove the stale lock: ssh pi@10.77.9.10 sudo rm ${RUN_LOCK_FILE}`);
    await first!.release();
    expect(server.files.has(RUN_LOCK_FILE)).toBe(false);
    const again = await acquireRunLock(runOn(server.make()), 'init');
    expect(again).toBeDefined();
  });

  it('a lock left by a kbootstrap of this workstation whose process is gone is taken over, with a warning', async () => {
    const server = sharedServer();
    server.files.set(RUN_LOCK_FILE, JSON.stringify({ token: 'dead', command: 'init', user: 'me', host: hostname(), pid: 2 ** 22 + 12345, since: '2026-01-01T00:00:00.000Z' }));
    const ctx = runOn(server.make());
    const lock = await acquireRunLock(ctx, 'init');
    expect(lock).toBeDefined();
    expect(JSON.parse(server.files.get(RUN_LOCK_FILE)!).token).toBe(lock!.holder.token);
    expect(ctx.log.events.some((e) => e.kind === 'message' && e.level === 'warn' && /taking over a stale lock: `kbootstrap init` of me@/.test(e.text))).toBe(true);
  });

  it('a lock of another workstation is never taken over; release leaves a lock that is not ours', async () => {
    const server = sharedServer();
    const theirs = JSON.stringify({ token: 'theirs', command: 'reset', user: 'ann', host: 'other-laptop', pid: 1, since: '2026-01-01T00:00:00.000Z' });
    server.files.set(RUN_LOCK_FILE, theirs);
    await expect(acquireRunLock(runOn(server.make()), 'init')).rejects.toThrow('cluster is locked by `kbootstrap reset` of ann@other-laptop (pid 1) since 2026-01-01T00:00:00.000Z');
    expect(server.files.get(RUN_LOCK_FILE)).toBe(theirs);
  });
});
