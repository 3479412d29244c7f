import { afterEach, beforeEach, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedInventory } from '../../src/inventory/resolved.js';
import type { LogEvent } from '../../src/log/events.js';
import { planNodePreparation } from '../../src/os/plan.js';
import type { RunContext } from '../../src/phases/context.js';
import { k3sArchOf, k3sAssetName } from '../../src/k3s/release.js';
import { makeFacts } from '../support/facts-factory.js';
import { FakeK3sCluster } from '../support/fake-k3s-cluster.js';
import { FakeNode } from '../support/fake-node.js';
import { testContext, testInventory } from './fixtures.js';

/**
 * Each test of the file on a simulated clock (reboot and readiness polls take no real time), its worlds
 * removed after it. The file itself still routes node:timers/promises through the global setTimeout
 * (a vi.mock, which must stay in the test file).
 */
export function useSimulatedClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    cleanWorlds();
  });
}

/** Every temp dir a world made, removed by `cleanWorlds()` (afterEach). */
const dirs: string[] = [];
export function cleanWorlds(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface World {
  ctx: ReturnType<typeof testContext>;
  inv: ResolvedInventory;
  cluster: FakeK3sCluster;
  nodes: Record<string, FakeNode>;
  /** The workstation side: the k3s binary cache and the kubeconfig. */
  dir: string;
  kubeconfig: string;
}

export interface WorldOptions {
  inventory?: string;
  dryRun?: boolean;
  /** The nodes' OS is already prepared (hostname, static IP, cgroups, swap): the preparation applied and the node rebooted. */
  prepared?: boolean;
  /** Shares nodes and cluster with an earlier world: the next run against the same machines. */
  after?: World;
  edit?: (inv: ResolvedInventory) => void;
}

/**
 * A fleet of FakeNodes (test/support/fake-node.ts: not real nodes, not k3s) for one run: the inventory of
 * fixtures.ts, every node connected and its facts gathered, the k3s binary in the workstation cache so
 * nothing is downloaded, the kubeconfig in a temp dir.
 */
export function world(opts: WorldOptions = {}): World {
  const inv = testInventory(opts.inventory);
  const dir = opts.after?.dir ?? mkdtempSync(join(tmpdir(), 'kb-orch-'));
  if (!opts.after) dirs.push(dir);
  inv.k3s.binary.cacheDir = join(dir, 'cache');
  inv.kubeconfig.path = join(dir, 'kube', 'config');
  opts.edit?.(inv);
  const cluster = opts.after?.cluster ?? new FakeK3sCluster();
  const nodes: Record<string, FakeNode> = opts.after?.nodes ?? {};
  inv.nodes.forEach((n, i) => {
    if (nodes[n.name]) return;
    const facts = makeFacts({
      hostname: 'raspberrypi',
      machineId: String(i + 1).repeat(32),
      interfaces: [
        { name: 'lo', up: true, addresses: ['127.0.0.1/8'] },
        { name: 'eth0', mac: `dc:a6:32:00:00:0${i + 1}`, up: true, addresses: [`${n.connect.host}/24`] },
      ],
      defaultRoute: { gateway: '10.77.9.1', interface: 'eth0' },
      files: {
        '/etc/hostname': { path: '/etc/hostname', content: 'raspberrypi\n' },
        '/etc/hosts': { path: '/etc/hosts', content: '127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n' },
      },
    });
    nodes[n.name] = new FakeNode(n.name, n.role, cluster, facts);
  });
  for (const n of inv.nodes) seedBinary(inv, join(dir, 'cache'), nodes[n.name]!.base.arch);
  const ctx = testContext(inv, async (n) => nodes[n.name]!, opts.dryRun ?? false);
  for (const s of ctx.states) {
    const node = nodes[s.node.name]!;
    if (opts.prepared && !opts.after) prepare(inv, s.node, node);
    s.transport = node;
    s.host = s.node.target?.ip ?? s.node.connect.host;
    s.facts = node.gathered();
  }
  return { ctx, inv, cluster, nodes, dir, kubeconfig: inv.kubeconfig.path };
}

/** Applies the preparation's files and commands straight on the fake node and boots it: what an earlier prepare run left. */
function prepare(inv: ResolvedInventory, n: ResolvedInventory['nodes'][number], node: FakeNode): void {
  for (const c of planNodePreparation(n, node.gathered(), inv).changes) {
    if (c.kind === 'command') node.applyCommand(c.command);
    if (c.kind !== 'file') continue;
    if (c.remove) node.files.delete(c.path);
    else {
      node.files.set(c.path, c.content);
      if (c.mode !== undefined) node.modes.set(c.path, c.mode);
    }
  }
  node.boot();
}

/** The release binary in the workstation cache (with its recorded sum), so the k3s binary phase downloads nothing. */
function seedBinary(inv: ResolvedInventory, cacheDir: string, machine: string): void {
  const content = `k3s ${inv.k3s.version}`;
  const d = join(cacheDir, inv.k3s.version);
  const path = join(d, k3sAssetName(k3sArchOf(machine)));
  mkdirSync(d, { recursive: true });
  writeFileSync(path, content, { mode: 0o755 });
  writeFileSync(`${path}.sha256`, `${createHash('sha256').update(content).digest('hex')}  ${path}\n`);
}

/** The changes a run logged, in order: "node: description". */
export function changeLines(events: LogEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'change' ? [`${e.node}: ${e.description}`] : []));
}

/** Everything a run printed, as one string: for "no secret anywhere" checks. */
export function allOutput(events: LogEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n');
}

export function errorsOf(ctx: RunContext): Record<string, string> {
  return Object.fromEntries(ctx.states.filter((s) => s.error).map((s) => [s.node.name, s.error!.message]));
}
