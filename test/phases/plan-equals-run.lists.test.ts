import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedInventory } from '../../src/inventory/resolved.js';
import type { LogEvent } from '../../src/log/events.js';
import * as lists from '../../src/phases/lists.js';
import { clusterPhases, discoverPhases, initPhases, preparePhases } from '../../src/phases/lists.js';
import type { Phase } from '../../src/phases/manager.js';
import { runPhases } from '../../src/phases/manager.js';
import { errorsOf, useSimulatedClock, world, type World } from './orchestration-world.js';

vi.mock('../../src/facts/gather.js', () => import('../support/fake-gather.js'));
// src waits with node:timers/promises' setTimeout in places: route it through the global one, which the
// simulated clock below replaces, so those waits take no real time either.
vi.mock('node:timers/promises', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  setTimeout: (ms?: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), ms)),
}));
useSimulatedClock();

const keyDir = mkdtempSync(join(tmpdir(), 'kb-key-'));
const PUBLIC_KEY = join(keyDir, 'id.pub');
writeFileSync(PUBLIC_KEY, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForThePlanEqualsRunTest000000000000 me@laptop\n');
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

/** Every phase list of src/phases/lists.ts, with the state of the nodes it is planned and run on. */
const LISTS: { name: string; phases: () => Phase[]; prepared?: boolean; edit?: (inv: ResolvedInventory) => void }[] = [
  { name: 'discoverPhases', phases: () => discoverPhases },
  { name: 'preparePhases()', phases: () => preparePhases() },
  { name: 'clusterPhases()', phases: () => clusterPhases(), prepared: true },
  { name: 'initPhases()', phases: () => initPhases() },
  { name: 'initPhases() with ssh.installKey', phases: () => initPhases(), edit: (inv) => inv.nodes.forEach((n) => { n.connect.installKey = PUBLIC_KEY; }) },
  { name: 'initPhases({ skipPrepare })', phases: () => initPhases({ skipPrepare: true }), prepared: true },
  { name: 'initPhases({ skipAddons })', phases: () => initPhases({ skipAddons: true }) },
];

/** Runs the list while the simulated clock moves on whenever everything waits on a timer (reboots poll every 2 s). */
async function run(w: World, phases: Phase[]): Promise<World> {
  let done = false;
  const p = runPhases(w.ctx, phases).finally(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(500);
  await p;
  return w;
}

/** The changes a run logged, with its workstation temp dir (cache, kubeconfig) written as <dir> so two runs compare. */
const changes = (w: World) =>
  w.ctx.log.events.flatMap((e: LogEvent) => (e.kind === 'change' ? [{ node: e.node, description: e.description.split(w.dir).join('<dir>'), diff: e.diff?.split(w.dir).join('<dir>') }] : []));

/**
 * Per node, in order. Nodes work in parallel inside a phase, so the order ACROSS nodes is the
 * scheduler's, not the plan's; what must match is each node's sequence.
 */
const perNode = (w: World) => {
  const out: Record<string, { description: string; diff?: string }[]> = {};
  for (const c of changes(w)) (out[c.node] ??= []).push({ description: c.description, diff: c.diff });
  return out;
};

/** A live cluster (init done) that the next run changes. */
async function liveThen(dryRun: boolean, edit: (inv: ResolvedInventory) => void): Promise<World> {
  const first = await run(world(), initPhases());
  expect(errorsOf(first.ctx)).toEqual({});
  return world({ after: first, dryRun, edit });
}

const upgrade = (inv: ResolvedInventory) => {
  inv.k3s.version = 'v1.34.4+k3s1';
};

describe('plan and run share one path, for every phase list', () => {
  for (const list of LISTS) {
    it(`${list.name}: the changes a dry run plans are exactly the changes the run makes, on fresh nodes`, async () => {
      const planned = await run(world({ dryRun: true, prepared: list.prepared, edit: list.edit }), list.phases());
      const applied = await run(world({ prepared: list.prepared, edit: list.edit }), list.phases());

      expect(errorsOf(applied.ctx)).toEqual({});
      expect(perNode(applied)).toEqual(perNode(planned));
      expect(planned.ctx.log.events.every((e) => e.kind !== 'change' || !e.applied)).toBe(true);
      // A prepared world's nodes booted once when it was made; the dry run adds no reboot, write or k3s.
      expect(Object.values(planned.nodes).map((n) => [n.writes.length, n.reboots, n.k3sActive])).toEqual(Object.values(planned.nodes).map(() => [0, list.prepared ? 1 : 0, false]));
      // discoverPhases changes nothing by design; every other list has work on fresh nodes.
      if (list.name === 'discoverPhases') expect(changes(applied)).toEqual([]);
      else expect(changes(applied).length).toBeGreaterThan(5);
    });
  }

  for (const [name, phases] of [['clusterPhases()', () => clusterPhases()], ['initPhases()', () => initPhases()]] as const) {
    it(`${name}: on a live cluster getting a new k3s release, the plan (drains included) is the run`, async () => {
      const planned = await run(await liveThen(true, upgrade), phases());
      const applied = await run(await liveThen(false, upgrade), phases());
      expect(errorsOf(applied.ctx)).toEqual({});
      const lines = changes(applied).map((c) => `${c.node}: ${c.description}`);
      expect(lines).toEqual(expect.arrayContaining(['knode1: cordon and drain knode1 (at most 120 s)', 'knode1: uncordon knode1', 'knode2: cordon and drain knode2 (at most 120 s)']));
      expect(perNode(applied)).toEqual(perNode(planned));
      expect(Object.values(planned.nodes).map((n) => n.k3sVersion)).toEqual(['v1.34.3+k3s3', 'v1.34.3+k3s3', 'v1.34.3+k3s3']);
    });
  }

  it('clusterPhases(): a new label alone on a live cluster: the plan is the run (kubectl sets it, no restart)', async () => {
    const label = (inv: ResolvedInventory) => {
      inv.nodes[1]!.labels = { shelf: 'top' };
    };
    const planned = await run(await liveThen(true, label), clusterPhases());
    const applied = await run(await liveThen(false, label), clusterPhases());
    expect(changes(applied).map((c) => `${c.node}: ${c.description}`)).toContain('knode1: labels on knode1: shelf=top');
    expect(perNode(applied)).toEqual(perNode(planned));
  });

  // KNOWN GAP (reported, issue 8): when an agent's k3s restarts in the same run (an upgrade), k3s applies
  // the rewritten registration drop-in's node-label at its start, so the run needs no `kubectl label`,
  // but the plan (which cannot know k3s restarted) lists one. This test fails once plan and run agree.
  it.fails('clusterPhases(): a new label together with a k3s upgrade: the plan lists a kubectl label the run does not need', async () => {
    const both = (inv: ResolvedInventory) => {
      upgrade(inv);
      inv.nodes[1]!.labels = { shelf: 'top' };
    };
    const planned = await run(await liveThen(true, both), clusterPhases());
    const applied = await run(await liveThen(false, both), clusterPhases());
    expect(perNode(applied)).toEqual(perNode(planned));
  });
});

/**
 * Every export of lists.ts, planned and run. The table also names the command lists issue 8 adds
 * (initCommandPhases, resetCommandPhases, ...): each export present is checked, and an export the
 * table does not know fails the first test, so a new list cannot go untested.
 */
type Exported = Record<string, unknown>;
type Flat = { before: Phase[]; locked: Phase[]; after: Phase[] };
const flat = (c: Flat): Phase[] => [...c.before, ...c.locked, ...c.after];
const call = (name: string) => (lists as unknown as Exported)[name] as (...a: unknown[]) => unknown;
const EVERY: Record<string, { phases: () => Phase[]; live?: boolean; prepared?: boolean; setup?: (w: World) => void; changes: 'some' | 'none' }> = {
  discoverPhases: { phases: () => discoverPhases, changes: 'none' },
  preparePhases: { phases: () => preparePhases(), changes: 'some' },
  clusterPhases: { phases: () => clusterPhases(), prepared: true, changes: 'some' },
  initPhases: { phases: () => initPhases(), changes: 'some' },
  initCommandPhases: { phases: () => flat(call('initCommandPhases')() as Flat), changes: 'some' },
  planCommandPhases: { phases: () => flat(call('planCommandPhases')() as Flat), changes: 'some' },
  resetCommandPhases: { phases: () => flat(call('resetCommandPhases')({ name: 'testlab', nodes: 3 }) as Flat), live: true, changes: 'some' },
  removeNodeCommandPhases: { phases: () => flat(call('removeNodeCommandPhases')({ name: 'knode2', drain: true, cluster: 'testlab' }) as Flat), live: true, changes: 'some' },
  statusPhases: { phases: () => (lists as unknown as Exported).statusPhases as Phase[], live: true, changes: 'none' },
  // After init the kubeconfig is up to date: remove it so the command has something to write.
  kubeconfigCommandPhases: { phases: () => call('kubeconfigCommandPhases')({}) as Phase[], live: true, setup: (w) => rmSync(w.kubeconfig), changes: 'some' },
  addonsStatusPhases: { phases: () => (lists as unknown as Exported).addonsStatusPhases as Phase[], live: true, changes: 'none' },
};

describe('plan and run share one path, for every export of lists.ts', () => {
  const present = Object.keys(lists).filter((k) => typeof (lists as unknown as Exported)[k] === 'function' || Array.isArray((lists as unknown as Exported)[k]));

  it('every phase list lists.ts exports is in this table', () => {
    expect(present.filter((k) => !(k in EVERY))).toEqual([]);
    expect(present.length).toBeGreaterThanOrEqual(4);
  });

  for (const [name, entry] of Object.entries(EVERY)) {
    it.runIf(name in lists)(`${name}: the dry run plans exactly the changes the run makes${entry.live ? ', on a live cluster' : ''}`, async () => {
      const make = async (dryRun: boolean) => {
        const base = entry.live ? await run(world(), initPhases()) : undefined;
        const w = world({ dryRun, prepared: entry.prepared, after: base });
        // The run says yes where a list asks (a confirmation phase); the dry run asks nothing.
        Object.assign(w.ctx, { yes: true, confirm: async () => true });
        entry.setup?.(w);
        return run(w, entry.phases());
      };
      const planned = await make(true);
      const applied = await make(false);
      expect(errorsOf(applied.ctx)).toEqual({});
      expect(perNode(applied)).toEqual(perNode(planned));
      if (entry.changes === 'none') expect(changes(applied)).toEqual([]);
      else expect(changes(applied).length).toBeGreaterThan(0);
    });
  }
});
