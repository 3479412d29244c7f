import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { finish } from '../../src/actions/session.js';
import { ExitCode } from '../../src/errors.js';
import { runPhases as runPhasesNow } from '../../src/phases/manager.js';
import { prepareOsPhase } from '../../src/phases/prepare-os.js';
import { REBOOT_COMMAND, rebootPhase } from '../../src/phases/reboot.js';
import { REBOOT_PENDING_FILE } from '../../src/phases/reboot-pending.js';
import { verifyPhase } from '../../src/phases/verify.js';
import { connectFault } from '../support/fake-connect.js';
import { changeLines, errorsOf, useSimulatedClock, world } from './orchestration-world.js';

vi.mock('../../src/facts/gather.js', () => import('../support/fake-gather.js'));
// src waits with node:timers/promises' setTimeout in places: route it through the global one, which the
// simulated clock below replaces, so those waits take no real time either.
vi.mock('node:timers/promises', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  setTimeout: (ms?: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), ms)),
}));
// The reboot wait polls every 2 s: the clock is simulated so each test takes milliseconds.
useSimulatedClock();

const PREPARE = [prepareOsPhase, rebootPhase, verifyPhase];

/** Runs the phases while the simulated clock moves on whenever everything waits on a timer. */
async function runPhases(ctx: Parameters<typeof runPhasesNow>[0], phases: Parameters<typeof runPhasesNow>[1]): Promise<void> {
  let done = false;
  const run = runPhasesNow(ctx, phases).finally(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(500);
  await run;
}

const steps = (events: ReturnType<typeof world>['ctx']['log']['events'], phase: string) =>
  events.flatMap((e) => (e.kind === 'node-step' && e.phase === phase ? [`${e.node} ${e.status}: ${e.text}`] : []));

describe('prepare, reboot, verify on fresh nodes', () => {
  it('records the pending reboot before the changes, reboots each node once, clears the record, and verifies on the static IP', async () => {
    const w = world();
    await runPhases(w.ctx, PREPARE);

    expect(errorsOf(w.ctx)).toEqual({});
    for (const [name, node] of Object.entries(w.nodes)) {
      expect(node.writes[0]?.path, name).toBe(REBOOT_PENDING_FILE);
      expect(node.writes.length, name).toBeGreaterThan(2);
      expect(node.commands.filter((c) => c === REBOOT_COMMAND), name).toHaveLength(1);
      expect(node.reboots, name).toBe(1);
      expect(node.files.has(REBOOT_PENDING_FILE), name).toBe(false);
      expect(node.gathered().hostname).toBe(name);
    }
    expect(w.ctx.states.map((s) => s.host)).toEqual(['10.77.9.10', '10.77.9.11', '10.77.9.12']);
    expect(steps(w.ctx.log.events, 'verify').map((s) => s.replace(/\d+ checks/, 'N checks')).sort()).toEqual(['kmaster done: N checks passed', 'knode1 done: N checks passed', 'knode2 done: N checks passed']);
  });

  it('a re-run on prepared nodes changes nothing and reboots nobody', async () => {
    const w = world({ prepared: true });
    await runPhases(w.ctx, PREPARE);
    expect(changeLines(w.ctx.log.events)).toEqual([]);
    expect(Object.values(w.nodes).map((n) => n.reboots)).toEqual([1, 1, 1]);
    expect(steps(w.ctx.log.events, 'prepare').sort()).toEqual(['kmaster unchanged: already prepared', 'knode1 unchanged: already prepared', 'knode2 unchanged: already prepared']);
  });

  it('a change that needs no reboot (the hostname) is verified on freshly gathered facts', async () => {
    const w = world({ prepared: true });
    const knode1 = w.nodes.knode1!;
    knode1.files.set('/etc/hostname', 'raspberrypi\n');
    knode1.base = { ...knode1.base, hostname: 'raspberrypi' };
    w.ctx.states[1]!.facts = knode1.gathered();
    await runPhases(w.ctx, PREPARE);
    expect(errorsOf(w.ctx)).toEqual({});
    expect(knode1.commands).toContain('hostname knode1');
    expect(knode1.reboots).toBe(1);
    expect(steps(w.ctx.log.events, 'verify').map((s) => s.split(' ').slice(0, 2).join(' ')).sort()).toEqual(['kmaster done:', 'knode1 done:', 'knode2 done:']);
  });

  it('--dry-run plans the reboot with its reasons and sends no reboot, write or verify', async () => {
    const w = world({ dryRun: true });
    await runPhases(w.ctx, PREPARE);
    const planned = changeLines(w.ctx.log.events);
    for (const n of ['kmaster', 'knode1', 'knode2']) {
      expect(planned.filter((l) => l.startsWith(`${n}: reboot (`))).toHaveLength(1);
      expect(w.nodes[n]!.writes).toEqual([]);
      expect(w.nodes[n]!.commands).toEqual([]);
    }
    expect(steps(w.ctx.log.events, 'verify')).toEqual([]);
  });
});

describe('a reboot left pending', () => {
  it('a run cut short after the changes leaves the record; the next run reboots the node for it', async () => {
    const first = world();
    await runPhases(first.ctx, [prepareOsPhase]);
    expect(Object.values(first.nodes).map((n) => n.reboots)).toEqual([0, 0, 0]);

    const next = world({ after: first });
    await runPhases(next.ctx, PREPARE);
    expect(errorsOf(next.ctx)).toEqual({});
    expect(steps(next.ctx.log.events, 'prepare').every((s) => /unchanged: already prepared; reboot still pending: .*\(pending from an earlier run\)/.test(s))).toBe(true);
    expect(changeLines(next.ctx.log.events).filter((l) => l.includes(': reboot ('))).toHaveLength(3);
    expect(Object.values(next.nodes).map((n) => n.reboots)).toEqual([1, 1, 1]);
    expect(Object.values(next.nodes).map((n) => n.gathered().rebootPending)).toEqual([[], [], []]);
  });

  it('a node that rebooted by itself in between needs no reboot: the record is from an older boot', async () => {
    const first = world();
    await runPhases(first.ctx, [prepareOsPhase]);
    first.nodes.knode1!.boot();
    const next = world({ after: first });
    await runPhases(next.ctx, PREPARE);
    expect(Object.values(next.nodes).map((n) => n.reboots)).toEqual([1, 1, 1]);
    expect(next.nodes.knode1!.commands.filter((c) => c === REBOOT_COMMAND)).toEqual([]);
  });
});

describe('reboot and verify failures stay on their node', () => {
  it('a kernel that ignores cmdline.txt fails verification on that node, naming the check; exit 3', async () => {
    const w = world();
    w.nodes.knode1!.kernelIgnoresCmdline = true;
    await runPhases(w.ctx, PREPARE);
    expect(Object.keys(errorsOf(w.ctx))).toEqual(['knode1']);
    expect(errorsOf(w.ctx).knode1).toMatch(/^verification failed: memory cgroup controller: expected memory in cgroup\.controllers, saw cpuset cpu io pids/);
    expect(finish(w.ctx)).toBe(ExitCode.partialFailure);
  });

  it('a node that does not come back fails alone after the reboot timeout, naming the addresses tried', async () => {
    const w = world();
    w.inv.prepare.rebootTimeout = 3;
    const knode2 = w.nodes.knode2!;
    knode2.reconnect = async (host) => {
      throw connectFault('unreachable', w.inv.nodes[2]!, host ?? '10.77.9.12');
    };
    await runPhases(w.ctx, PREPARE);
    expect(errorsOf(w.ctx)).toEqual({ knode2: 'knode2 did not come back within 3 s after the reboot' });
    expect((w.ctx.states[2]!.error as Error & { hint?: string }).hint).toMatch(/^tried 10\.77\.9\.12, 10\.77\.9\.102; check the node's console and network, then run again \(last error: cannot reach knode2 at 10\.77\.9\.102:22: EHOSTUNREACH\)$/);
    expect(steps(w.ctx.log.events, 'verify').map((s) => s.split(' ')[0]).sort()).toEqual(['kmaster', 'knode1']);
    // The record stays on the node, so the next run finishes the reboot.
    expect(knode2.files.has(REBOOT_PENDING_FILE)).toBe(true);
  });
});
