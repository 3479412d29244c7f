import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { acquireRunLock, lazyRunLock, RUN_GENERATION_FILE, RUN_LOCK_FILE } from '../../src/phases/lock.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from './fixtures.js';

/**
 * A first server whose lock commands run in a real shell (noclobber, the generation check), with
 * /var/lib/kbootstrap moved to a temporary directory.
 */
function sharedServer() {
  const dir = mkdtempSync(join(tmpdir(), 'kb-lock-'));
  const local = (path: string) => path.replace('/var/lib/kbootstrap', dir);
  const files = {
    get: (path: string) => (existsSync(local(path)) ? readFileSync(local(path), 'utf8').trim() : undefined),
    set: (path: string, text: string) => writeFileSync(local(path), `${text}\n`),
    has: (path: string) => existsSync(local(path)),
  };
  const make = () => {
    const t = new FakeTransport('kmaster', (cmd) => {
      const r = spawnSync('sh', ['-c', cmd.replaceAll('/var/lib/kbootstrap', dir)], { encoding: 'utf8' });
      return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
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

  it('each run that takes the lock bumps the generation; a run whose facts read an older one is refused and changes nothing', async () => {
    const server = sharedServer();
    const first = await acquireRunLock(runOn(server.make()), 'init', 0);
    expect(server.files.get(RUN_GENERATION_FILE)).toBe('1');
    await first!.release();
    const late = await acquireRunLock(runOn(server.make()), 'init', 0).catch((e: unknown) => e);
    expect((late as UserError).message).toBe('the cluster changed since this run read it: another kbootstrap run took the lock in between; this run changed nothing');
    expect((late as UserError).hint).toBe('run again: it reads the cluster afresh');
    expect(server.files.has(RUN_LOCK_FILE)).toBe(false);
    expect(server.files.get(RUN_GENERATION_FILE)).toBe('1');
    const current = await acquireRunLock(runOn(server.make()), 'init', 1);
    expect(server.files.get(RUN_GENERATION_FILE)).toBe('2');
    await current!.release();
  });

  it('taken at most once however many changes ask for it, and released only when it was taken', async () => {
    const server = sharedServer();
    const t = server.make();
    const lock = lazyRunLock(runOn(t), 'init', 0);
    await lock.release();
    expect(t.commands).toEqual([]);
    await Promise.all([lock.hold(), lock.hold(), lock.hold()]);
    expect(t.commands.filter((c) => c.includes('set -C'))).toHaveLength(1);
    await lock.release();
    expect(server.files.has(RUN_LOCK_FILE)).toBe(false);
    await lock.release();
    expect(t.commands.filter((c) => c.startsWith('grep -qF'))).toHaveLength(1);
  });
});
