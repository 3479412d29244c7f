import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab.js';
import { changesOf, kbootstrap, summaryOf } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startKbootstrap, treeHashes } from './live-cli.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1'];
const MARKER = '/var/lib/kbootstrap/reboot-pending';
const LOCK = '/var/lib/kbootstrap/run.lock';
/** What plan must leave alone on a node: the login user's authorized_keys, /tmp, kbootstrap's own state. */
const NODE_STATE = 'sha256sum /home/pi/.ssh/authorized_keys; ls -A /tmp | grep -v "^systemd-private-" | sort; ls -AR /var/lib/kbootstrap 2>&1; sha256sum /etc/hostname /etc/hosts /boot/firmware/cmdline.txt';

/**
 * Safe on a live cluster, on 2 Trixie-like lab nodes (amd64) with the lab's k3s stand-in (not
 * Kubernetes): plan touches nothing; Ctrl-C during prepare exits 130 and the re-run reboots the node
 * that was changed but not rebooted; a second concurrent init is refused naming the lock holder.
 */
describe.skipIf(!isRoot)(`re-running on a live lab cluster with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let inv: Awaited<ReturnType<typeof writeLabInventory>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    [lab, release] = await Promise.all([
      startLab({ nodes: NODES.map((name) => ({ name, variant: 'trixie', arch: 'amd64' })) }),
      startStandinRelease(),
    ]);
    inv = await writeLabInventory(lab, { staticIps: true }, (i) => {
      const ssh = i.ssh as Record<string, unknown>;
      ssh.knownHosts = 'known_hosts';
      ssh.installKey = 'id_ed25519.pub';
    });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'live-test', '-f', join(inv.dir, 'id_ed25519')]);
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: `${inv.dir}/cache` };
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('plan on a fresh lab changes nothing on the nodes or the workstation, and lists every step', async () => {
    const nodesBefore = await Promise.all(NODES.map((n) => lab.exec(n, NODE_STATE)));
    const workstationBefore = await treeHashes(inv.dir);
    const plan = await kbootstrap(['plan', '-i', inv.file, '--json'], env);
    expect(plan.code, plan.stderr + plan.stdout.slice(-2000)).toBe(0);
    expect((await Promise.all(NODES.map((n) => lab.exec(n, NODE_STATE)))).map((r) => r.stdout)).toEqual(nodesBefore.map((r) => r.stdout));
    expect(await treeHashes(inv.dir)).toEqual(workstationBefore);
    expect(release.requests).toEqual([]);

    const planned = changesOf(plan.events);
    for (const n of NODES) expect(planned[n]![0], n).toMatch(/^install the SSH public key .*id_ed25519\.pub into ~pi\/\.ssh\/authorized_keys$/);
    expect(planned.kmaster).toContain(`write kubeconfig context "${lab.id}" to ${inv.kubeconfig} (on this workstation)`);
    expect(planned.knode1!.some((c) => /^upload k3s /.test(c))).toBe(true);
    expect(plan.events.some((e) => e.kind === 'message' && /^k3s \S+ for amd64: would download http:\/\/127\.0\.0\.1:\d+\/\S+ \(and its checksum file\) into /.test(e.text))).toBe(true);

    const dry = await kbootstrap(['kubeconfig', '-i', inv.file, '--dry-run', '-o', join(inv.dir, 'other-kubeconfig'), '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(changesOf(dry.events).kmaster).toEqual([`write kubeconfig context "${lab.id}" to ${join(inv.dir, 'other-kubeconfig')} (on this workstation)`]);
    expect(await treeHashes(inv.dir)).toEqual(workstationBefore);
  }, 120_000);

  it('Ctrl-C during prepare: exit 130, a summary, no staged upload left; the re-run reboots the changed node and verifies', async () => {
    let interruptedAt = '';
    let preparing = false;
    // SIGINT at the first change the preparation applies: the node's further changes give the signal
    // time to arrive before the Reboot phase could start (at a node's "prepare done" it raced the reboot).
    const run = startKbootstrap(['init', '-i', inv.file, '--yes', '--json'], env, (e, child) => {
      if (e.kind === 'phase-start' && e.phase === 'Prepare nodes') preparing = true;
      if (preparing && !interruptedAt && e.kind === 'change') {
        interruptedAt = e.node;
        child.kill('SIGINT');
      }
    });
    const first = await run.done;
    expect(interruptedAt, first.stdout.slice(-2000)).not.toBe('');
    expect(first.code, first.stderr + first.stdout.slice(-2000)).toBe(130);
    expect(first.events.some((e) => e.kind === 'summary')).toBe(true);
    expect(first.events.some((e) => e.kind === 'change' && /^reboot/.test(e.description))).toBe(false);
    for (const n of NODES) {
      expect(lab.rebootCount(n), n).toBe(0);
      expect((await lab.exec(n, 'ls /tmp | grep -c kbootstrap-upload || true')).stdout.trim(), n).toBe('0');
      expect((await lab.exec(n, "find / -xdev -name '*.kbootstrap-tmp*' 2>/dev/null")).stdout.trim(), n).toBe('');
      expect((await lab.exec(n, `cat ${LOCK} 2>/dev/null`)).stdout, `${n}: run lock released\n${first.stderr}\n${first.stdout.slice(-4000)}`).toBe('');
    }
    const bootId = (await lab.readFile(interruptedAt, '/proc/sys/kernel/random/boot_id'))!.trim();
    expect((await lab.readFile(interruptedAt, MARKER))!.split('\n')[0]).toBe(bootId);

    const second = await kbootstrap(['init', '-i', inv.file, '--yes', '--json'], env);
    expect(second.code, second.stderr + second.stdout.slice(-3000)).toBe(0);
    const reboot = changesOf(second.events)[interruptedAt]!.find((c) => c.startsWith('reboot'));
    expect(reboot).toMatch(/pending from an earlier run/);
    for (const n of NODES) {
      expect(lab.rebootCount(n), n).toBe(1);
      expect((await lab.exec(n, `test ! -e ${MARKER}`)).code, n).toBe(0);
      expect((await lab.exec(n, 'hostname')).stdout.trim()).toBe(n);
    }
    expect(Object.values(summaryOf(second.events))).toEqual(['changed', 'changed']);
    expect(await readFile(inv.kubeconfig, 'utf8')).toContain(lab.subnet.base);
  }, 600_000);

  it('a second init while one runs is refused, naming the lock holder; the first finishes and releases the lock', async () => {
    // The first run has a change to make (a new label: the lock is taken by a run's first change) and is frozen
    // once it made it, so the second surely finds the lock.
    const generation = async () => (await lab.exec('kmaster', 'cat /var/lib/kbootstrap/run.generation')).stdout.trim();
    const before = Number(await generation());
    const labelled = await withLabel(inv.file, 'knode1', { 'kbootstrap.io/lock-test': 'a' });
    let frozen!: () => void;
    const isFrozen = new Promise<void>((r) => (frozen = r));
    let stopped = false;
    const a = startKbootstrap(['init', '-i', labelled, '--yes', '--json'], env, (e, child) => {
      if (e.kind === 'change' && !stopped) {
        stopped = true;
        child.kill('SIGSTOP');
        frozen();
      }
    });
    await isFrozen;
    expect((await lab.exec('kmaster', `test -e ${LOCK}`)).code).toBe(0);
    const b = await kbootstrap(['init', '-i', inv.file, '--yes', '--json'], env);
    a.child.kill('SIGCONT');
    const first = await a.done;
    expect(b.code).toBe(1);
    const error = b.events.find((e) => e.kind === 'error');
    expect(error?.kind === 'error' && error.message).toMatch(/^cluster is locked by `kbootstrap init` of \S+@\S+ \(pid \d+\) since \d{4}-/);
    expect(error?.kind === 'error' && error.hint).toContain(`sudo rm ${LOCK}`);
    expect(first.code, first.stderr).toBe(0);
    expect((await lab.exec('kmaster', `test ! -e ${LOCK}`)).code).toBe(0);
    expect(Number(await generation())).toBe(before + 1);
  }, 300_000);

  it('a label-only change on a running agent drains nothing and reboots nothing', async () => {
    const labelled = await withLabel(inv.file, 'knode1', { 'kbootstrap.io/live': 'yes' });
    const run = await kbootstrap(['init', '-i', labelled, '--yes', '--json'], env);
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    const all = Object.values(changesOf(run.events)).flat();
    expect(all.filter((c) => /drain|cordon|reboot|restart/.test(c))).toEqual([]);
    expect(changesOf(run.events).knode1!.some((c) => c.includes('kbootstrap.io/live'))).toBe(true);
    for (const n of NODES) expect(lab.rebootCount(n), n).toBe(1);
  }, 300_000);

  it('a change that needs a reboot on the live cluster: the server first, then the agent drained, rebooted, uncordoned', async () => {
    for (const n of NODES) await lab.exec(n, "sed -i 's/ cgroup_enable=memory//; s/ cgroup_memory=1//' /boot/firmware/cmdline.txt");
    const run = await kbootstrap(['init', '-i', inv.file, '--yes', '--json'], env);
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    const order = run.events.flatMap((e) =>
      e.kind === 'change' && /^(reboot|cordon and drain|uncordon)/.test(e.description) ? [`${e.node}: ${e.description.replace(/ \(.*$/, '')}`] : []);
    expect(order).toEqual(['kmaster: reboot', 'knode1: cordon and drain knode1', 'knode1: reboot', 'knode1: uncordon knode1']);
    // The server was back and Ready before the agent was touched.
    const idx = (pred: (e: (typeof run.events)[number]) => boolean) => run.events.findIndex(pred);
    const serverBack = idx((e) => e.kind === 'node-step' && e.node === 'kmaster' && e.phase === 'rolling' && e.status === 'done');
    const drain = idx((e) => e.kind === 'change' && e.description.startsWith('cordon and drain knode1'));
    expect(serverBack).toBeGreaterThan(-1);
    expect(serverBack).toBeLessThan(drain);
    for (const n of NODES) expect(lab.rebootCount(n), n).toBe(2);
    const unschedulable = await lab.exec('kmaster', "k3s kubectl get node knode1 -o jsonpath='{.spec.unschedulable}'");
    expect(unschedulable.stdout.trim()).toBe('');
  }, 600_000);

  it('an upgrade to another stand-in version: servers one by one, then the agent drained, upgraded, uncordoned', async () => {
    const upgraded = await withK3sVersion(inv.file, 'v1.31.5+k3s1');
    const run = await kbootstrap(['init', '-i', upgraded, '--yes', '--json'], env);
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    const order = run.events.flatMap((e) =>
      e.kind === 'change' && /^(upload k3s|cordon and drain|uncordon)/.test(e.description) ? [`${e.node}: ${e.description.replace(/ \(.*$/, '').replace(/ to \/.*$/, '')}`] : []);
    expect(order).toEqual(['kmaster: upload k3s v1.31.5+k3s1', 'knode1: cordon and drain knode1', 'knode1: upload k3s v1.31.5+k3s1', 'knode1: uncordon knode1']);
    // The upgraded server was Ready again (the stand-in's `kubectl get nodes`), not only active, before the agent's turn.
    const serverReady = run.events.findIndex((e) => e.kind === 'node-step' && e.node === 'kmaster' && e.text === 'Ready again');
    const drain = run.events.findIndex((e) => e.kind === 'change' && e.description.startsWith('cordon and drain knode1'));
    expect(serverReady).toBeGreaterThan(-1);
    expect(serverReady).toBeLessThan(drain);
    for (const n of NODES) expect(lab.rebootCount(n), n).toBe(2);
    const again = await kbootstrap(['init', '-i', upgraded, '--yes', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(Object.values(changesOf(again.events)).flat().filter((c) => /drain|upload|restart|reboot/.test(c))).toEqual([]);
  }, 600_000);
});

async function withK3sVersion(file: string, version: string): Promise<string> {
  const { parse, stringify } = await import('yaml');
  const inv = parse(await readFile(file, 'utf8')) as { k3s?: Record<string, unknown> };
  inv.k3s = { ...inv.k3s, version };
  const out = file.replace(/\.yaml$/, '-upgraded.yaml');
  await (await import('node:fs/promises')).writeFile(out, stringify(inv));
  return out;
}

async function withLabel(file: string, node: string, labels: Record<string, string>): Promise<string> {
  const { parse, stringify } = await import('yaml');
  const inv = parse(await readFile(file, 'utf8')) as { nodes: { name: string; labels?: Record<string, string> }[] };
  const n = inv.nodes.find((x) => x.name === node)!;
  n.labels = { ...n.labels, ...labels };
  const out = file.replace(/\.yaml$/, '-labelled.yaml');
  await (await import('node:fs/promises')).writeFile(out, stringify(inv));
  return out;
}
