import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startLab, type Lab } from '../lab/lab.js';
import { changesOf, kbootstrap, summaryOf, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, labSecrets, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1', 'knode2', 'knode3'];
/** Files kbootstrap changes on a node; reset and remove-node must bring them back byte for byte. */
const WATCHED = ['/etc/hostname', '/etc/hosts', '/boot/firmware/cmdline.txt', '/boot/firmware/config.txt'];
const FINGERPRINT = `for f in ${WATCHED.join(' ')}; do sha256sum "$f"; done; ls /etc/NetworkManager/system-connections/ /etc/rancher/k3s 2>&1; test -e /usr/local/bin/k3s && echo k3s-present`;
const STATE = `stat -c '%n %Y' /etc/rancher/k3s/config.yaml /etc/hostname /boot/firmware/cmdline.txt /usr/local/bin/k3s /etc/systemd/system/k3s*.service; systemctl show -p ActiveEnterTimestamp -p NRestarts k3s k3s-agent`;

const OTHER_CLUSTERS = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://prod.example.invalid:6443
  name: prod
- cluster:
    server: https://staging.example.invalid:6443
  name: staging
contexts:
- context:
    cluster: prod
    user: prod-admin
  name: prod
- context:
    cluster: staging
    user: staging-admin
  name: staging
current-context: prod
users:
- name: prod-admin
  user:
    token: prod-token-value
- name: staging-admin
  user:
    token: staging-token-value
`;

/**
 * The user's three jobs against the lab, with the k3s stand-in (not Kubernetes): init on 3 nodes,
 * re-run with a 4th node added (only it changes), the kubeconfig merged into an existing one and read
 * by a real kubectl, then remove-node and reset restore the nodes' files.
 */
describe.skipIf(!isRoot)(`cluster jobs on a lab with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let three: Awaited<ReturnType<typeof writeLabInventory>>;
  let four: string;
  let env: Record<string, string>;
  const before = new Map<string, string>();
  const runs: CliRun[] = [];
  let secrets: string[] = [];
  const cli = async (args: string[]) => {
    const r = await kbootstrap([...args, '--verbose'], env);
    runs.push(r);
    return r;
  };

  beforeAll(async () => {
    [lab, release] = await Promise.all([
      startLab({ nodes: NODES.map((name) => ({ name, variant: 'trixie', arch: 'amd64' })) }),
      startStandinRelease(),
    ]);
    three = await writeLabInventory(lab, { staticIps: true }, (inv) => void (inv.nodes as unknown[]).splice(3));
    const all = parse(await lab.inventory({ staticIps: true })) as { nodes: unknown[] };
    const base = parse(await readFile(three.file, 'utf8')) as { nodes: unknown[]; kubeconfig: object };
    base.kubeconfig = { path: three.kubeconfig, merge: true, context: 'lab', setCurrent: false };
    await writeFile(three.file, stringify(base));
    four = three.file.replace(/inventory\.yaml$/, 'inventory-4.yaml');
    await writeFile(four, stringify({ ...base, nodes: all.nodes }));
    await writeFile(three.kubeconfig, OTHER_CLUSTERS, { mode: 0o600 });
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: `${three.dir}/cache` };
    for (const n of NODES) before.set(n, (await lab.exec(n, FINGERPRINT)).stdout);
  });
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('init brings up 1 server and 2 agents, all Ready', async () => {
    const run = await cli(['init', '-i', three.file, '--yes', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    secrets = await labSecrets(lab, 'kmaster');
    const table = run.events.find((e) => e.kind === 'table' && e.title === 'Nodes');
    expect(table?.kind === 'table' && table.rows.map((r) => r[5])).toEqual(['Ready', 'Ready', 'Ready']);
    console.log(`init on 3 lab nodes: ${run.ms} ms`);
  });

  it('the kubeconfig is merged next to two other clusters and a real kubectl reads all three', async () => {
    expect((await cli(['kubeconfig', '-i', three.file])).code).toBe(0);
    expect((await cli(['status', '-i', three.file])).code).toBe(0);
    const kubectl = promisify(execFile);
    const { stdout } = await kubectl('kubectl', ['config', 'get-contexts', '-o', 'name', '--kubeconfig', three.kubeconfig]);
    expect(stdout.trim().split('\n').sort()).toEqual(['lab', 'prod', 'staging']);
    const view = await kubectl('kubectl', ['config', 'view', '--raw', '-o', 'jsonpath={.clusters[?(@.name=="lab")].cluster.server}', '--kubeconfig', three.kubeconfig]);
    expect(view.stdout).toBe(`https://${lab.subnet.base}10:6443`);
    const text = await readFile(three.kubeconfig, 'utf8');
    for (const kept of ['prod-token-value', 'staging-token-value', 'current-context: prod']) expect(text).toContain(kept);
    expect((await stat(three.kubeconfig)).mode & 0o777).toBe(0o600);
  });

  it('adding a 4th node to the inventory joins only that node: no rewrite, restart or reboot elsewhere', async () => {
    const state = new Map<string, string>();
    for (const n of NODES.slice(0, 3)) state.set(n, (await lab.exec(n, STATE)).stdout);
    const reboots = NODES.map((n) => lab.rebootCount(n));
    const run = await cli(['init', '-i', four, '--yes', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(summaryOf(run.events)).toEqual({ kmaster: 'unchanged', knode1: 'unchanged', knode2: 'unchanged', knode3: 'changed' });
    expect(Object.keys(changesOf(run.events))).toEqual(['knode3']);
    for (const n of NODES.slice(0, 3)) expect((await lab.exec(n, STATE)).stdout, n).toBe(state.get(n));
    expect(NODES.map((n) => lab.rebootCount(n))).toEqual([...reboots.slice(0, 3), reboots[3]! + 1]);
    const table = run.events.find((e) => e.kind === 'table' && e.title === 'Nodes');
    expect(table?.kind === 'table' && table.rows.map((r) => r[5])).toEqual(['Ready', 'Ready', 'Ready', 'Ready']);
  });

  it('remove-node drains and deletes the node, uninstalls k3s and restores its files', async () => {
    const run = await cli(['remove-node', 'knode3', '-i', four, '--yes', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const nodes = JSON.parse((await lab.exec('kmaster', 'k3s kubectl get nodes -o json')).stdout) as { items: { metadata: { name: string } }[] };
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(['kmaster', 'knode1', 'knode2']);
    expect((await lab.exec('knode3', FINGERPRINT)).stdout).toBe(before.get('knode3'));
  });

  it('reset restores every node as it was before kbootstrap touched it', async () => {
    const run = await cli(['reset', '-i', three.file, '--yes', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    for (const n of NODES.slice(0, 3)) expect((await lab.exec(n, FINGERPRINT)).stdout, n).toBe(before.get(n));
  });

  it('no command printed the password, the join token or the private key, even with --verbose', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBe(6);
    for (const run of runs) for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  });
});
