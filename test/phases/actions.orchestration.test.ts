import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initAction } from '../../src/actions/init.js';
import { planAction } from '../../src/actions/plan.js';
import { removeNodeAction } from '../../src/actions/remove-node.js';
import { resetAction } from '../../src/actions/reset.js';
import { statusAction } from '../../src/actions/status.js';
import type { CommandContext } from '../../src/actions/options.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { K3S_CONFIG_PATH } from '../../src/k3s/config.js';
import type { LogEvent } from '../../src/log/events.js';
import { createMemoryLogger } from '../../src/log/index.js';
import { RUN_LOCK_FILE } from '../../src/phases/lock.js';
import { REBOOT_COMMAND } from '../../src/phases/reboot.js';
import { fleet } from '../support/fake-fleet.js';
import { INVENTORY } from './fixtures.js';
import { allOutput, changeLines, cleanWorlds, world, type World } from './orchestration-world.js';

vi.mock('../../src/facts/gather.js', () => import('../support/fake-gather.js'));
// src waits with node:timers/promises' setTimeout in places: route it through the global one, which the
// simulated clock below replaces, so those waits take no real time either.
vi.mock('node:timers/promises', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  setTimeout: (ms?: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), ms)),
}));
vi.mock('../../src/ssh/connect.js', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  connectNode: (await import('../support/fake-fleet.js')).fakeConnectNode,
}));

beforeEach(() => {
  vi.stubEnv('TEST_PI_PASSWORD', 'not-a-real-password');
  // Reboots poll every 2 s: the clock is simulated so a whole init takes milliseconds.
  vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  fleet.nodes.clear();
  fleet.faults.clear();
  fleet.attempts.length = 0;
  cleanWorlds();
});

/** Fresh machines, and an inventory file on disk that points at them (cache and kubeconfig in the world's temp dir). */
function machines(): { w: World; file: string } {
  const w = world();
  for (const [name, node] of Object.entries(w.nodes)) fleet.nodes.set(name, node);
  const file = join(w.dir, 'inventory.yaml');
  writeFileSync(file, `${INVENTORY}k3s: { binary: { cacheDir: ${join(w.dir, 'cache')} } }\nkubeconfig: { path: ${w.kubeconfig} }\n`);
  return { w, file };
}

function command(inventory: string, dryRun = false): CommandContext & { log: ReturnType<typeof createMemoryLogger> } {
  return { options: { inventory, dryRun, yes: true, json: false, verbose: false, color: false, interactive: false }, log: createMemoryLogger() };
}

/** Runs an action while the simulated clock moves on whenever everything waits on a timer. */
async function act<T>(p: Promise<T>): Promise<T> {
  let done = false;
  const tracked = p.finally(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(500);
  return tracked;
}

function summary(events: LogEvent[]): Record<string, string> {
  const s = events.find((e) => e.kind === 'summary');
  return s?.kind === 'summary' ? Object.fromEntries(s.nodes.map((n) => [n.node, n.error ? `${n.outcome}: ${n.error}` : n.outcome])) : {};
}

async function initialised() {
  const m = machines();
  expect(await act(initAction(command(m.file), { skipPrepare: false, skipAddons: false }))).toBe(ExitCode.ok);
  m.w.cluster.journal.length = 0;
  m.w.cluster.kubectl.length = 0;
  for (const n of Object.values(m.w.nodes)) n.commands.length = 0;
  return m;
}

describe('init', () => {
  it('fresh nodes: prepared, rebooted once, k3s on every node, kubeconfig written, lock taken and released; exit 0', async () => {
    const { w, file } = machines();
    const cmd = command(file);
    expect(await act(initAction(cmd, { skipPrepare: false, skipAddons: false }))).toBe(ExitCode.ok);

    expect(summary(cmd.log.events)).toEqual({ kmaster: 'changed', knode1: 'changed', knode2: 'changed' });
    expect(Object.values(w.nodes).map((n) => [n.reboots, n.k3sActive, n.gathered().hostname])).toEqual([[1, true, 'kmaster'], [1, true, 'knode1'], [1, true, 'knode2']]);
    expect([...w.cluster.members.values()].map((m) => `${m.name} ${m.ready}`).sort()).toEqual(['kmaster true', 'knode1 true', 'knode2 true']);
    expect(existsSync(w.kubeconfig)).toBe(true);
    const kmaster = w.nodes.kmaster!;
    expect(kmaster.commands.filter((c) => c.includes(RUN_LOCK_FILE)).map((c) => (c.startsWith('grep') ? 'release' : 'take'))).toEqual(['take', 'release']);
    expect(kmaster.files.has(RUN_LOCK_FILE)).toBe(false);
    // --yes: no preview, every change logged is one that was applied.
    expect(changeLines(cmd.log.events).length).toBeGreaterThan(20);
    expect(cmd.log.events.every((e) => e.kind !== 'change' || e.applied)).toBe(true);
    for (const s of [w.cluster.serverToken!, w.cluster.agentToken!, 'not-a-real-password']) expect(allOutput(cmd.log.events)).not.toContain(s);
  });

  it('a re-run changes nothing, reboots nothing and restarts nothing; exit 0', async () => {
    const { w, file } = await initialised();
    const cmd = command(file);
    expect(await act(initAction(cmd, { skipPrepare: false, skipAddons: false }))).toBe(ExitCode.ok);
    expect(summary(cmd.log.events)).toEqual({ kmaster: 'unchanged', knode1: 'unchanged', knode2: 'unchanged' });
    expect(changeLines(cmd.log.events)).toEqual([]);
    expect(w.cluster.journal).toEqual([]);
    expect(Object.values(w.nodes).flatMap((n) => n.commands.filter((c) => c === REBOOT_COMMAND))).toEqual([]);
  });

  it('a node refusing SSH on both addresses fails alone with the connect error; the others form the cluster; exit 3', async () => {
    const { w, file } = machines();
    fleet.faults.set('knode2', 'refused');
    const cmd = command(file);
    expect(await act(initAction(cmd, { skipPrepare: false, skipAddons: false }))).toBe(ExitCode.partialFailure);
    expect(fleet.attempts.filter((a) => a.startsWith('knode2@'))).toEqual(['knode2@10.77.9.12', 'knode2@10.77.9.102']);
    expect(summary(cmd.log.events).knode2).toMatch(/^failed: cannot connect to knode2 at 10\.77\.9\.102:22: connection refused hint: Is it powered on/);
    expect([...w.cluster.members.keys()]).toEqual(['kmaster', 'knode1']);
    expect(w.nodes.knode2!.commands).toEqual([]);
  });

  it('a wrong password is not retried on the other address, and names the user and node', async () => {
    const { file } = machines();
    fleet.faults.set('knode1', 'auth');
    const cmd = command(file);
    expect(await act(initAction(cmd, { skipPrepare: false, skipAddons: false }))).toBe(ExitCode.partialFailure);
    expect(fleet.attempts.filter((a) => a.startsWith('knode1@'))).toEqual(['knode1@10.77.9.11']);
    expect(summary(cmd.log.events).knode1).toMatch(/^failed: authentication failed for pi@10\.77\.9\.11:22 \(node knode1\) hint: Tried: password\./);
  });

  it('a first server whose host key changed: nothing joins, the error says so; no agent gets k3s', async () => {
    const { w, file } = machines();
    fleet.faults.set('kmaster', 'host-key-changed');
    const err = await act(initAction(command(file), { skipPrepare: false, skipAddons: false }).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('the first server kmaster failed, so no other node can join');
    expect(w.nodes.knode1!.files.has(K3S_CONFIG_PATH)).toBe(false);
    expect(w.cluster.members.size).toBe(0);
  });
});

describe('plan', () => {
  it('on fresh nodes: lists the preparation, reboots, k3s and kubeconfig; writes nothing on any node or here', async () => {
    const { w, file } = machines();
    const cmd = command(file, true);
    expect(await act(planAction(cmd, {}))).toBe(ExitCode.ok);
    const planned = changeLines(cmd.log.events);
    for (const n of ['kmaster', 'knode1', 'knode2']) {
      expect(planned.some((l) => l.startsWith(`${n}: reboot (`)), n).toBe(true);
      expect(planned.some((l) => l.startsWith(`${n}: enable and start k3s`)), n).toBe(true);
      expect(w.nodes[n]!.writes, n).toEqual([]);
      // Only reads: the static-IP probe and the addons' state query.
      expect(w.nodes[n]!.commands.filter((c) => !c.startsWith('probe() {') && !c.includes('@@kbootstrap-q')), n).toEqual([]);
    }
    expect(cmd.log.events.every((e) => e.kind !== 'change' || !e.applied)).toBe(true);
    expect(existsSync(w.kubeconfig)).toBe(false);
  });

  it('after init: nothing to change', async () => {
    const { file } = await initialised();
    const cmd = command(file, true);
    expect(await act(planAction(cmd, {}))).toBe(ExitCode.ok);
    expect(changeLines(cmd.log.events)).toEqual([]);
  });
});

describe('status', () => {
  it('one row per node with the cluster\'s view; exit 0; an unreachable node is a row saying so and exit 3', async () => {
    const { file } = await initialised();
    const cmd = command(file);
    expect(await act(statusAction(cmd, {}))).toBe(ExitCode.ok);
    const rows = (e: LogEvent[]) => {
      const t = e.find((x) => x.kind === 'table');
      return t?.kind === 'table' ? t.rows.map((r) => `${r[0]} ${r[2]} ${r[5]} ${r[6]}`) : [];
    };
    expect(rows(cmd.log.events)).toEqual(['kmaster 10.77.9.10 v1.34.3+k3s3 Ready', 'knode1 10.77.9.11 v1.34.3+k3s3 Ready', 'knode2 10.77.9.12 v1.34.3+k3s3 Ready']);

    fleet.faults.set('knode2', 'unreachable');
    const down = command(file);
    expect(await act(statusAction(down, {}))).toBe(ExitCode.partialFailure);
    expect(rows(down.log.events)[2]).toBe('knode2 10.77.9.102  ');
  });
});

describe('reset', () => {
  it('uninstalls k3s from the agents before the servers and restores every file kbootstrap changed', async () => {
    const { w, file } = await initialised();
    const cmd = command(file);
    expect(await act(resetAction(cmd, {}))).toBe(ExitCode.ok);
    const uninstalls = w.cluster.journal.filter((j) => j.endsWith(': uninstall'));
    expect(uninstalls.slice(0, 2).sort()).toEqual(['knode1: uninstall', 'knode2: uninstall']);
    expect(uninstalls[2]).toBe('kmaster: uninstall');
    for (const [name, node] of Object.entries(w.nodes)) {
      expect(node.k3sVersion, name).toBeUndefined();
      expect(node.files.get('/etc/hostname'), name).toBe('raspberrypi\n');
      expect(node.backups.size, name).toBe(0);
      expect(node.files.has(K3S_CONFIG_PATH), name).toBe(false);
    }
    expect(w.nodes.kmaster!.files.has(RUN_LOCK_FILE)).toBe(false);
  });

  it('--dry-run plans the uninstall and restore on every node and changes nothing', async () => {
    const { w, file } = await initialised();
    const cmd = command(file, true);
    expect(await act(resetAction(cmd, {}))).toBe(ExitCode.ok);
    const lines = changeLines(cmd.log.events).map((l) => l.replace(/restore \d+ file/, 'restore N file'));
    for (const [n, role] of [['knode1', 'agent'], ['knode2', 'agent'], ['kmaster', 'server']]) {
      expect(lines.filter((l) => l.startsWith(`${n}: `))).toEqual([`${n}: uninstall k3s ${role}`, `${n}: restore N file(s) kbootstrap changed, from /var/lib/kbootstrap/backup`]);
    }
    // The servers' lines come after every agent's.
    expect(lines.slice(4).every((l) => l.startsWith('kmaster: '))).toBe(true);
    expect(w.cluster.journal).toEqual([]);
    expect(Object.values(w.nodes).every((n) => n.k3sActive && n.backups.size > 0)).toBe(true);
  });
});

describe('remove-node', () => {
  it('drains and deletes the node through the first server, then uninstalls and restores it; the rest keeps running', async () => {
    const { w, file } = await initialised();
    const cmd = command(file);
    expect(await act(removeNodeAction(cmd, { name: 'knode2', drain: true }))).toBe(ExitCode.ok);
    expect(w.cluster.kubectl.map((k) => k.split(' ').slice(0, 2).join(' '))).toEqual(['drain knode2', 'delete node']);
    expect([...w.cluster.members.keys()]).toEqual(['kmaster', 'knode1']);
    expect(w.cluster.journal).toEqual(['knode2: stop', 'knode2: uninstall', 'knode2: restore']);
    expect(w.nodes.knode1!.commands).toEqual([]);
    expect(changeLines(cmd.log.events).every((l) => l.startsWith('knode2: '))).toBe(true);
  });

  it('refuses to remove the first server, before connecting anywhere', async () => {
    const { file } = await initialised();
    fleet.attempts.length = 0;
    await expect(removeNodeAction(command(file), { name: 'kmaster', drain: true })).rejects.toThrow('kmaster is the first server: every other node joins through it');
    expect(fleet.attempts).toEqual([]);
  });
});

describe('plan and run share one path: reset and remove-node', () => {
  for (const what of ['reset', 'remove-node'] as const) {
    it(`${what}: the dry run lists exactly the changes the run then makes`, async () => {
      const lines = async (dryRun: boolean) => {
        const { file } = await initialised();
        const cmd = command(file, dryRun);
        const p = what === 'reset' ? resetAction(cmd, {}) : removeNodeAction(cmd, { name: 'knode1', drain: true });
        expect(await act(p)).toBe(ExitCode.ok);
        cleanWorlds();
        fleet.nodes.clear();
        return changeLines(cmd.log.events);
      };
      const planned = await lines(true);
      expect(planned.length).toBeGreaterThan(1);
      expect(await lines(false)).toEqual(planned);
    });
  }
});
