import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab.js';
import { kbootstrap, summaryOf } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1', 'knode2'];

/**
 * A node held NotReady (its k3s stand-in agent frozen, so it stops its heartbeats; the stand-in is not
 * Kubernetes) does not sink the run: the others finish, the kubeconfig is written, the summary names
 * the node and what it reported, exit 3.
 */
describe.skipIf(!isRoot)(`a NotReady node on a 3-node lab with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let inv: Awaited<ReturnType<typeof writeLabInventory>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    [lab, release] = await Promise.all([
      startLab({ nodes: NODES.map((name) => ({ name, variant: 'trixie', arch: 'amd64' })) }),
      startStandinRelease(),
    ]);
    inv = await writeLabInventory(lab, { staticIps: false });
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: `${inv.dir}/cache`, KBOOTSTRAP_READY_TIMEOUT: '20' };
    const first = await kbootstrap(['init', '-i', inv.file, '--yes', '--json'], env);
    if (first.code !== 0) throw new Error(`init failed: ${first.stderr}${first.stdout.slice(-2000)}`);
  }, 600_000);
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('the others get their labels and everyone the kubeconfig; exit 3 naming the node and its Ready condition', async () => {
    await lab.exec('knode1', 'systemctl kill -s SIGSTOP k3s-agent');
    // The stand-in marks a node NotReady after 40 s without a heartbeat (K3S_STANDIN_NODE_GRACE).
    for (let i = 0; i < 60; i++) {
      const r = await lab.exec('kmaster', "k3s kubectl get node knode1 -o jsonpath='{.status.conditions[0].status}'");
      if (r.stdout.trim() !== 'True') break;
      await new Promise((res) => setTimeout(res, 2000));
    }
    const labelled = inv.file.replace(/\.yaml$/, '-labelled.yaml');
    const { parse, stringify } = await import('yaml');
    const edited = parse(await readFile(inv.file, 'utf8')) as { nodes: { name: string; labels?: object }[] };
    edited.nodes[2]!.labels = { 'kbootstrap.io/notready-test': 'yes' };
    await (await import('node:fs/promises')).writeFile(labelled, stringify(edited));
    await (await import('node:fs/promises')).rm(inv.kubeconfig);

    const run = await kbootstrap(['init', '-i', labelled, '--yes', '--json'], env);
    await lab.exec('knode1', 'systemctl kill -s SIGCONT k3s-agent');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(3);
    expect(summaryOf(run.events)).toEqual({ kmaster: 'changed', knode1: 'failed', knode2: 'changed' });
    const s = run.events.find((e) => e.kind === 'summary');
    const error = s?.kind === 'summary' ? s.nodes.find((n) => n.node === 'knode1')?.error : '';
    expect(error).toMatch(/^knode1 is NotReady \(NodeStatusUnknown: Kubelet stopped posting node status\.\) after 20 s/);
    expect(await readFile(inv.kubeconfig, 'utf8')).toContain('server: https://');
    const labels = await lab.exec('kmaster', "k3s kubectl get node knode2 -o jsonpath='{.metadata.labels.kbootstrap\\.io/notready-test}'");
    expect(labels.stdout.trim()).toBe('yes');
  }, 300_000);
});
