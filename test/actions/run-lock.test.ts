import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/actions/session.js';
import { ExitCode } from '../../src/errors.js';
import { change } from '../../src/phases/change.js';
import type { Phase } from '../../src/phases/manager.js';
import { RUN_GENERATION_FILE, RUN_LOCK_FILE } from '../../src/phases/lock.js';
import { FakeTransport } from '../support/fake-transport.js';
import { testContext, testInventory } from '../phases/fixtures.js';

/**
 * runCommand and the run lock, over a first server whose lock commands run in a real shell (with
 * /var/lib/kbootstrap moved to a temporary directory). `before` stands for the facts passes: it sets
 * what the first server's facts round trip read of the lock.
 */
function world(seen: { runLock?: string; generation?: number; onServer?: { lock?: string; generation?: string } }, dryRun = false) {
  const dir = mkdtempSync(join(tmpdir(), 'kb-runlock-'));
  const local = (p: string) => p.replace('/var/lib/kbootstrap', dir);
  if (seen.onServer?.lock) writeFileSync(local(RUN_LOCK_FILE), `${seen.onServer.lock}\n`);
  if (seen.onServer?.generation) writeFileSync(local(RUN_GENERATION_FILE), `${seen.onServer.generation}\n`);
  const t = new FakeTransport('kmaster', (cmd) => {
    const r = spawnSync('sh', ['-c', cmd.replaceAll('/var/lib/kbootstrap', dir)], { encoding: 'utf8' });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  });
  t.readFile = async (p) => (existsSync(local(p)) ? readFileSync(local(p), 'utf8') : undefined);
  const ctx = testContext(testInventory(), async () => t, dryRun);
  const server = ctx.states[0]!;
  const facts: Phase = {
    title: 'Gather facts',
    select: (c) => [c.states[0]!],
    run: async () => {
      server.transport = t;
      server.host = '10.77.9.10';
      server.serverSnapshot = { token: '', agentToken: '', kubeconfig: '', addons: '', runLock: seen.runLock ?? '', runGeneration: seen.generation ?? 0 };
    },
  };
  const applied: string[] = [];
  const changing = (n: number): Phase => ({
    title: 'Work',
    select: (c) => [c.states[0]!],
    run: async (c, [s]) => {
      for (let i = 0; i < n; i++) await change(c, s!, `change ${i}`, async () => void applied.push(`change ${i}`));
    },
  });
  const lockCommands = () => t.commands.filter((c) => c.includes(RUN_LOCK_FILE)).map((c) => (c.startsWith('grep') ? 'release' : c.startsWith('rm') ? 'remove stale' : 'take'));
  const onServer = () => ({
    lock: existsSync(local(RUN_LOCK_FILE)) ? readFileSync(local(RUN_LOCK_FILE), 'utf8').trim() : undefined,
    generation: existsSync(local(RUN_GENERATION_FILE)) ? readFileSync(local(RUN_GENERATION_FILE), 'utf8').trim() : undefined,
  });
  const run = (n: number) => runCommand(ctx, 'init', { before: [facts], locked: [changing(n)], after: [] });
  return { ctx, run, applied, lockCommands, onServer };
}

const holder = (host: string, pid: number) => JSON.stringify({ token: 'theirs', command: 'init', user: 'ann', host, pid, since: '2026-12-03T10:00:00.000Z' });

describe('the run lock is taken by the first change, never by a run that changes nothing', () => {
  it('a run with nothing to change sends no lock command and leaves the generation alone', async () => {
    const w = world({ generation: 4, onServer: { generation: '4' } });
    expect(await w.run(0)).toBe(ExitCode.ok);
    expect(w.lockCommands()).toEqual([]);
    expect(w.onServer()).toEqual({ lock: undefined, generation: '4' });
  });

  it('a run with changes takes it once, before the first, with the generation its facts read, and gives it back', async () => {
    const w = world({ generation: 4, onServer: { generation: '4' } });
    expect(await w.run(3)).toBe(ExitCode.ok);
    expect(w.applied).toEqual(['change 0', 'change 1', 'change 2']);
    expect(w.lockCommands()).toEqual(['take', 'release']);
    expect(w.onServer()).toEqual({ lock: undefined, generation: '5' });
  });

  it('another run took the lock since the facts were read: the run ends (exit 1) before its first change', async () => {
    const w = world({ generation: 4, onServer: { generation: '5' } });
    await expect(w.run(2)).rejects.toThrow('the cluster changed since this run read it');
    expect(w.applied).toEqual([]);
    expect(w.onServer()).toEqual({ lock: undefined, generation: '5' });
  });

  it('a lock another live run holds, as the facts read it, refuses the run before anything is done', async () => {
    const theirs = holder('other-laptop', 1);
    const w = world({ runLock: theirs, generation: 4, onServer: { lock: theirs, generation: '4' } });
    await expect(w.run(1)).rejects.toThrow('cluster is locked by `kbootstrap init` of ann@other-laptop (pid 1)');
    expect(w.applied).toEqual([]);
    expect(w.lockCommands()).toEqual([]);
    expect(w.onServer().lock).toBe(theirs);
  });

  it("a stale lock of this workstation is cleared even by a run with nothing to change", async () => {
    const dead = holder(hostname(), 2 ** 22 + 4321);
    const w = world({ runLock: dead, generation: 4, onServer: { lock: dead, generation: '4' } });
    expect(await w.run(0)).toBe(ExitCode.ok);
    expect(w.lockCommands()).toEqual(['take', 'remove stale', 'take', 'release']);
    expect(w.onServer()).toEqual({ lock: undefined, generation: '5' });
    expect(w.ctx.log.events.some((e) => e.kind === 'message' && e.level === 'warn' && e.text.startsWith('taking over a stale lock'))).toBe(true);
  });

  it('under --dry-run a held lock is a warning and nothing is taken', async () => {
    const theirs = holder('other-laptop', 1);
    const w = world({ runLock: theirs, generation: 4, onServer: { lock: theirs, generation: '4' } }, true);
    expect(await w.run(2)).toBe(ExitCode.ok);
    expect(w.lockCommands()).toEqual([]);
    expect(w.ctx.log.events.some((e) => e.kind === 'message' && e.level === 'warn' && e.text.startsWith('a run is in progress: `kbootstrap init` of ann@other-laptop'))).toBe(true);
  });
});
