import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab.js';
import { changesOf, kbootstrap, sshStatsOf, summaryOf, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, labSecrets, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1', 'knode2', 'knode3'];

/**
 * kbootstrap init against 4 Trixie-like lab nodes (native amd64, real NetworkManager) on DHCP
 * addresses, with the lab's k3s stand-in (not Kubernetes) served as the k3s release.
 */
describe.skipIf(!isRoot)(`init on a 4-node lab with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let inv: Awaited<ReturnType<typeof writeLabInventory>>;
  let env: Record<string, string>;
  let plan: CliRun;
  let first: CliRun;
  let second: CliRun;

  beforeAll(async () => {
    [lab, release] = await Promise.all([
      startLab({ nodes: NODES.map((name) => ({ name, variant: 'trixie', arch: 'amd64' })) }),
      startStandinRelease(),
    ]);
    inv = await writeLabInventory(lab, { staticIps: true }, (i) => {
      (i.nodes as { name: string; labels?: object }[])[1]!.labels = { 'kbootstrap.io/test': 'yes' };
    });
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: `${inv.dir}/cache` };
    plan = await kbootstrap(['plan', '-i', inv.file, '--json'], env);
    first = await kbootstrap(['init', '-i', inv.file, '--yes', '--json', '--verbose'], env);
    second = await kbootstrap(['init', '-i', inv.file, '--yes', '--json', '--verbose'], env);
    console.log(`init on 4 lab nodes: first run ${first.ms} ms, second run ${second.ms} ms`);
  });
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('plan changes nothing and lists exactly what init then does', async () => {
    expect(plan.code, plan.stderr).toBe(0);
    expect(Object.keys(changesOf(plan.events)).sort()).toEqual([...NODES].sort());
    for (const name of NODES) expect(changesOf(plan.events)[name]!.length).toBeGreaterThan(5);
    expect(changesOf(first.events)).toEqual(changesOf(plan.events));
  });

  it('prepares every node: static IP, hostname, cgroup flags once, gpu_mem, swap off, one reboot each', async () => {
    expect(first.code, first.stderr + first.stdout.slice(-3000)).toBe(0);
    expect(Object.values(summaryOf(first.events))).toEqual(NODES.map(() => 'changed'));
    for (const [i, name] of NODES.entries()) {
      expect(await lab.ip(name)).toBe(`${lab.subnet.base}${10 + i}`);
      expect((await lab.exec(name, 'hostname')).stdout.trim()).toBe(name);
      const cmdline = (await lab.readFile(name, '/boot/firmware/cmdline.txt'))!;
      expect(cmdline.split('\n').filter(Boolean)).toHaveLength(1);
      expect(cmdline.match(/cgroup_enable=memory/g)).toHaveLength(1);
      expect(cmdline.match(/cgroup_memory=1/g)).toHaveLength(1);
      expect(await lab.readFile(name, '/boot/firmware/config.txt')).toMatch(/^gpu_mem=16$/m);
      expect((await lab.exec(name, 'tail -n +2 /proc/swaps')).stdout.trim()).toBe('');
      expect(lab.rebootCount(name)).toBe(1);
    }
  });

  it('joins the agents to the server and reports every node Ready', async () => {
    const table = first.events.find((e) => e.kind === 'table' && e.title === 'Nodes');
    expect(table && table.kind === 'table' && table.rows.map((r) => [r[0], r[1], r[5]])).toEqual([
      ['kmaster', 'server', 'Ready'], ['knode1', 'agent', 'Ready'], ['knode2', 'agent', 'Ready'], ['knode3', 'agent', 'Ready'],
    ]);
    const nodes = JSON.parse((await lab.exec('kmaster', 'k3s kubectl get nodes -o json')).stdout) as { items: { metadata: { name: string; labels: Record<string, string> } }[] };
    expect(nodes.items.find((n) => n.metadata.name === 'knode1')?.metadata.labels['kbootstrap.io/test']).toBe('yes');
    expect(release.requests.filter((r) => r.endsWith('/k3s'))).toHaveLength(1);
  });

  it('writes a 0600 kubeconfig that points at the server\'s static IP', async () => {
    const text = await readFile(inv.kubeconfig, 'utf8');
    expect(text).toContain(`server: https://${lab.subnet.base}10:6443`);
    expect((await stat(inv.kubeconfig)).mode & 0o777).toBe(0o600);
  });

  it('a second run changes nothing, reboots nothing, and uses one connection and one facts round trip per node', async () => {
    expect(second.code, second.stderr).toBe(0);
    expect(changesOf(second.events)).toEqual({});
    expect(Object.values(summaryOf(second.events))).toEqual(NODES.map(() => 'unchanged'));
    for (const name of NODES) expect(lab.rebootCount(name)).toBe(1);
    const stats = sshStatsOf(second.events);
    console.log('second run ssh stats', JSON.stringify(stats));
    for (const name of NODES) expect(stats[name]?.connections).toBe(1);
    for (const name of NODES.slice(1)) expect(stats[name]?.execs).toBe(1);
    // The first server: its facts round trip and one GET of the node list through the connection; no kubectl, and
    // no run lock: a run that changes nothing never takes it (only the first run did: generation 1).
    expect(stats.kmaster?.execs).toBe(2);
    expect((await lab.exec('kmaster', 'cat /var/lib/kbootstrap/run.generation; test ! -e /var/lib/kbootstrap/run.lock && echo unlocked')).stdout.split('\n')).toEqual(['1', 'unlocked', '']);
  });

  it('never prints the password, the join token or the private key', async () => {
    const secrets = await labSecrets(lab, 'kmaster');
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const run of [plan, first, second]) {
      for (const s of secrets) {
        expect(run.stdout).not.toContain(s);
        expect(run.stderr).not.toContain(s);
      }
    }
  });
});
