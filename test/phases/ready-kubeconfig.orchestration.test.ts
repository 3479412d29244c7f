import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { finish } from '../../src/actions/session.js';
import { ExitCode } from '../../src/errors.js';
import { k3sBinaryPhase } from '../../src/phases/k3s-binary.js';
import { k3sServersPhase } from '../../src/phases/k3s-servers.js';
import { clusterReadyPhase } from '../../src/phases/k3s-ready.js';
import { k3sAgentsRollingPhase } from '../../src/phases/k3s-rolling.js';
import { kubeconfigPhase } from '../../src/phases/kubeconfig.js';
import { runPhases } from '../../src/phases/manager.js';
import { FAKE_CLIENT_KEY } from '../support/fake-node-files.js';
import { allOutput, changeLines, cleanWorlds, errorsOf, world } from './orchestration-world.js';

vi.mock('../../src/facts/gather.js', () => import('../support/fake-gather.js'));
// src waits with node:timers/promises' setTimeout in places: route it through the global one, which the
// simulated clock below replaces, so those waits take no real time either.
vi.mock('node:timers/promises', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  setTimeout: (ms?: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), ms)),
}));
afterEach(() => {
  vi.useRealTimers();
  cleanWorlds();
  vi.unstubAllEnvs();
});

const INSTALL = [k3sBinaryPhase, k3sServersPhase, k3sAgentsRollingPhase];
const LABELLED = `
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100, staticIp: 10.77.9.10 }
  - { name: knode1, role: agent, address: 10.77.9.101, staticIp: 10.77.9.11, labels: { shelf: top, node-role.kubernetes.io/worker: "true" }, taints: ["dedicated=ml:NoSchedule"] }
  - { name: knode2, role: agent, address: 10.77.9.102, staticIp: 10.77.9.12 }
`;

const kubeconfigLines = (events: Parameters<typeof changeLines>[0]) => changeLines(events).filter((l) => l.includes('kubeconfig'));

async function installed(opts: Parameters<typeof world>[0] = {}) {
  const w = world({ prepared: true, ...opts });
  await runPhases(w.ctx, INSTALL);
  return w;
}

describe('cluster ready', () => {
  it('a node that stays NotReady fails alone with its reason; the others get their labels and the kubeconfig; exit 3', async () => {
    vi.stubEnv('KBOOTSTRAP_READY_TIMEOUT', '1');
    // The readiness wait polls every 2 s: a simulated clock lets the 1 s deadline pass at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const w = world({ prepared: true, inventory: LABELLED });
    w.cluster.stuckNotReady.add('knode2');
    let done = false;
    const run = runPhases(w.ctx, [...INSTALL, clusterReadyPhase, kubeconfigPhase()]).finally(() => {
      done = true;
    });
    while (!done) await vi.advanceTimersByTimeAsync(500);
    await run;
    vi.useRealTimers();

    expect(errorsOf(w.ctx)).toEqual({ knode2: 'knode2 is NotReady (KubeletNotReady: container runtime network not ready) after 1 s' });
    expect(w.cluster.members.get('knode1')!.labels).toMatchObject({ shelf: 'top', 'node-role.kubernetes.io/worker': 'true' });
    expect(existsSync(w.kubeconfig)).toBe(true);
    expect(finish(w.ctx)).toBe(ExitCode.partialFailure);
    const table = w.ctx.log.events.find((e) => e.kind === 'table' && e.title === 'Nodes');
    expect(table?.kind === 'table' && table.rows.map((r) => `${r[0]} ${r[5]}`)).toEqual(['kmaster Ready', 'knode1 Ready', 'knode2 failed']);
  });

  it('labels kubelet refuses and taints are set through the first server; a re-run sends no kubectl change', async () => {
    const w = await installed({ inventory: LABELLED });
    await runPhases(w.ctx, [clusterReadyPhase]);
    const kube = w.cluster.kubectl.filter((k) => !k.startsWith('get'));
    expect(kube.map((k) => k.split(' ').slice(0, 3).join(' '))).toEqual(expect.arrayContaining(['label node knode1', 'annotate node knode1']));
    expect(w.cluster.members.get('knode1')!.taints).toEqual(['dedicated=ml:NoSchedule']);
    expect(w.cluster.members.get('knode1')!.labels['node-role.kubernetes.io/worker']).toBe('true');
    // Every kubectl change went to the first server, and is recorded as a change of the labelled node.
    expect(Object.values(w.nodes).slice(1).every((n) => !n.commands.some((c) => c.startsWith('k3s kubectl')))).toBe(true);
    // The registration drop-in set shelf=top and the taint at registration; the API sets the label kubelet refuses.
    expect(changeLines(w.ctx.log.events).filter((l) => /labels on|taints on|record the labels/.test(l))).toEqual([
      'knode1: labels on knode1: node-role.kubernetes.io/worker=true',
      'knode1: record the labels and taints kbootstrap manages on knode1',
    ]);

    w.cluster.kubectl.length = 0;
    const again = world({ after: w, inventory: LABELLED });
    await runPhases(again.ctx, [clusterReadyPhase]);
    expect(again.cluster.kubectl.filter((k) => !k.startsWith('get'))).toEqual([]);
    expect(changeLines(again.ctx.log.events)).toEqual([]);
  });

  it('a label removed from the inventory is removed from the node; one it never managed is left alone', async () => {
    const w = await installed({ inventory: LABELLED });
    await runPhases(w.ctx, [clusterReadyPhase]);
    w.cluster.members.get('knode1')!.labels['owner'] = 'someone-else';
    const next = world({ after: w, inventory: LABELLED, edit: (inv) => { inv.nodes[1]!.labels = { shelf: 'top' }; } });
    await runPhases(next.ctx, [clusterReadyPhase]);
    const labels = next.cluster.members.get('knode1')!.labels;
    expect(labels['node-role.kubernetes.io/worker']).toBeUndefined();
    expect(labels).toMatchObject({ shelf: 'top', owner: 'someone-else' });
  });
});

describe('kubeconfig', () => {
  it('written 0600 with the cluster\'s context, pointed at the first server\'s LAN address; no key material in the log', async () => {
    const w = await installed();
    await runPhases(w.ctx, [kubeconfigPhase()]);
    expect(statSync(w.kubeconfig).mode & 0o777).toBe(0o600);
    const doc = parseYaml(readFileSync(w.kubeconfig, 'utf8')) as { 'current-context': string; clusters: { name: string; cluster: { server: string } }[]; users: { user: Record<string, string> }[] };
    expect(doc['current-context']).toBe('testlab');
    expect(doc.clusters.map((c) => [c.name, c.cluster.server])).toEqual([['testlab', 'https://10.77.9.10:6443']]);
    expect(doc.users[0]!.user['client-key-data']).toBe(FAKE_CLIENT_KEY);
    expect(kubeconfigLines(w.ctx.log.events)).toEqual([`kmaster: merge kubeconfig context "testlab" into ${w.kubeconfig} (on this workstation)`]);
    expect(allOutput(w.ctx.log.events)).not.toContain(FAKE_CLIENT_KEY);
    expect(w.ctx.shared.kubeconfigPath).toBe(w.kubeconfig);
  });

  it('merged into an existing kubeconfig: the other contexts stay; a second run finds it up to date and writes nothing', async () => {
    const w = await installed({ edit: (inv) => { inv.kubeconfig.merge = true; } });
    mkdirSync(dirname(w.kubeconfig), { recursive: true });
    const other = 'apiVersion: v1\nkind: Config\nclusters:\n- name: work\n  cluster: { server: "https://work.example:6443" }\ncontexts:\n- name: work\n  context: { cluster: work, user: work }\ncurrent-context: work\nusers:\n- name: work\n  user: { token: abc }\n';
    writeFileSync(w.kubeconfig, other, { mode: 0o600 });
    await runPhases(w.ctx, [kubeconfigPhase()]);
    const doc = parseYaml(readFileSync(w.kubeconfig, 'utf8')) as { contexts: { name: string }[] };
    expect(doc.contexts.map((c) => c.name).sort()).toEqual(['testlab', 'work']);
    expect(kubeconfigLines(w.ctx.log.events)).toEqual([`kmaster: merge kubeconfig context "testlab" into ${w.kubeconfig} (on this workstation)`]);

    const before = readFileSync(w.kubeconfig, 'utf8');
    const again = world({ after: w, edit: (inv) => { inv.kubeconfig.merge = true; } });
    await runPhases(again.ctx, [kubeconfigPhase()]);
    expect(changeLines(again.ctx.log.events)).toEqual([]);
    expect(readFileSync(w.kubeconfig, 'utf8')).toBe(before);
  });

  it('--dry-run plans the write and writes nothing, on a live cluster and before k3s runs', async () => {
    const fresh = world({ prepared: true, dryRun: true, edit: (inv) => { inv.kubeconfig.merge = false; } });
    await runPhases(fresh.ctx, [kubeconfigPhase()]);
    expect(changeLines(fresh.ctx.log.events)).toEqual([`kmaster: write kubeconfig context "testlab" to ${fresh.kubeconfig} (on this workstation)`]);
    expect(fresh.nodes.kmaster!.commands).toEqual([]);

    const live = await installed();
    const plan = world({ after: live, dryRun: true });
    await runPhases(plan.ctx, [kubeconfigPhase()]);
    expect(changeLines(plan.ctx.log.events)).toEqual([`kmaster: merge kubeconfig context "testlab" into ${live.kubeconfig} (on this workstation)`]);
    expect(existsSync(live.kubeconfig)).toBe(false);
    expect(plan.ctx.shared.kubeconfigPath).toBeUndefined();
  });

  it('is skipped when the first server failed', async () => {
    const w = await installed();
    w.ctx.states[0]!.error = new Error('gone');
    await runPhases(w.ctx, [kubeconfigPhase()]);
    expect(existsSync(w.kubeconfig)).toBe(false);
    expect(w.ctx.log.events).toContainEqual({ kind: 'phase-end', phase: 'Kubeconfig', ok: true, skipped: true });
  });
});
