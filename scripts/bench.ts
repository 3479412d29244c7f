// `npm run bench [-- --amd64 3,6,12 --arm64 4 --repeat 3]`: for each fleet size, on fresh lab nodes, as root
// (`--chart-only` redraws docs/bench from the stored figures):
//  - the first run: wall time of `kbootstrap init` (prepare, reboot, verify, k3s stand-in, kubeconfig);
//  - then, `--repeat` times interleaved so both see the same load: the SSH floor (every node at once: one
//    OpenSSH connection and one `sudo cat` of the files a facts pass reads) and the no-op re-run;
//  - the re-run's round trips (the CLI's ssh-stats) and processes started per node, the processes the
//    facts script starts, and the time per phase (the --json events, stamped as they arrive).
// Prints a table per size, stores the figures in docs/bench/results.json (one entry per arch and size,
// so sizes can be re-measured alone), draws docs/bench/bench.svg and writes docs/bench/results.md from all stored entries.
// Uses the built CLI (npm run build: the bundle dist/bin/kbootstrap.js; `--cli FILE` for another) and the lab's k3s stand-in (not Kubernetes) as the k3s release.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { LogEvent } from '../src/log/events.js';
import { startStandinRelease } from '../test/e2e/standin-release.js';
import { labStaticIp } from '../test/lab/inventory.js';
import { requireRoot, startLab, type Lab } from '../test/lab/lab.js';
import type { Arch } from '../test/lab/paths.js';
import { drawChart, markdownTable, type BenchEntry } from './bench-chart.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
/** The CLI run: the bundle `npm run build` makes (package.json "bin"); `--cli dist/cli/main.js` for the tsc output. */
const CLI = arg('cli', 'dist/bin/kbootstrap.js');
const sizes = (s: string) => s.split(',').filter(Boolean).map(Number);
const repeat = Number(arg('repeat', '3'));
const plan: { arch: Arch; nodes: number }[] = [
  ...sizes(arg('amd64', '3,6,12')).map((nodes) => ({ arch: 'amd64' as const, nodes })),
  ...sizes(arg('arm64', '4')).map((nodes) => ({ arch: 'arm64' as const, nodes })),
];
const OUT_DIR = resolve('docs/bench');
const RESULTS = join(OUT_DIR, 'results.json');

interface Timed { code: number; ms: number; events: { at: number; e: LogEvent }[] }

function runCli(args: string[], env: Record<string, string>): Promise<Timed> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(CLI), ...args, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const events: Timed['events'] = [];
    let rest = '';
    child.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop()!;
      for (const l of lines) if (l) events.push({ at: Date.now() - started, e: JSON.parse(l) as LogEvent });
    });
    child.on('close', (code) => {
      if (process.env.KBOOTSTRAP_BENCH_EVENTS) void writeFile(process.env.KBOOTSTRAP_BENCH_EVENTS, events.map((e) => JSON.stringify(e)).join('\n') + '\n', { flag: 'a' });
      done({ code: code ?? 70, ms: Date.now() - started, events });
    });
  });
}

/** Time per phase (phase-start to phase-end), and "startup": the CLI's start until its first event. */
function phaseTimes(run: Timed): Record<string, number> {
  const out: Record<string, number> = { startup: run.events[0]?.at ?? run.ms };
  const open = new Map<string, number>();
  for (const { at, e } of run.events) {
    if (e.kind === 'phase-start') open.set(e.phase, at);
    if (e.kind === 'phase-end' && open.has(e.phase)) out[e.phase] = (out[e.phase] ?? 0) + at - open.get(e.phase)!;
  }
  return out;
}

function roundTrips(run: Timed): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { e } of run.events) {
    if (e.kind === 'result' && e.command === 'ssh-stats') {
      const s = e.data as { node: string; connections: number; execs: number };
      out[s.node] = s.execs;
    }
  }
  return out;
}

/** The files a facts pass reads (src/facts/script.sh), for the floor's one `sudo cat`. */
const FLOOR_FILES = [
  '/proc/sys/kernel/hostname', '/etc/machine-id', '/proc/cmdline', '/proc/swaps', '/proc/cgroups', '/proc/meminfo',
  '/sys/fs/cgroup/cgroup.controllers', '/proc/sys/kernel/random/boot_id', '/etc/kbootstrap-lab/board-model',
  '/etc/os-release', '/usr/lib/os-release', '/etc/rpi-issue', '/etc/hostname', '/etc/hosts', '/etc/dhcpcd.conf',
  '/etc/network/interfaces', '/etc/dphys-swapfile', '/etc/rpi/swap.conf', '/etc/systemd/zram-generator.conf',
  '/etc/fstab', '/etc/systemd/system/k3s.service', '/etc/systemd/system/k3s-agent.service',
  '/etc/rancher/k3s/config.yaml', '/boot/firmware/cmdline.txt', '/boot/firmware/config.txt',
  '/var/lib/kbootstrap/facts-cache/k3s-binary.sha256',
];

/** Every node at once: one OpenSSH connection each (password auth, as the inventory has it), one `sudo cat`. */
async function floor(lab: Lab, password: string, passwordFile: string): Promise<number> {
  const started = Date.now();
  await Promise.all(lab.nodes.map((_, i) => new Promise<void>((done, fail) => {
    const ip = labStaticIp(lab.subnet, i);
    const child = spawn('sshpass', ['-f', passwordFile, 'ssh', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
      '-o', 'PubkeyAuthentication=no', `pi@${ip}`, `sudo -S -p '' cat -- ${FLOOR_FILES.join(' ')} >/dev/null 2>&1; :`], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.stdin.end(`${password}\n`);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`floor: ssh to ${ip} exited ${code}`))));
  })));
  return Date.now() - started;
}

/** The node's last PID (its own PID namespace): the difference over a run is how many processes it started. */
async function lastPids(lab: Lab): Promise<number[]> {
  return Promise.all(lab.nodes.map(async (n) => Number((await lab.exec(n.name, 'cat /proc/sys/kernel/ns_last_pid')).stdout.trim())));
}

/** Processes the facts script starts on each node (as root, output thrown away); the least of three tries. */
async function factsProcesses(lab: Lab): Promise<number[]> {
  const script = await readFile(resolve('src/facts/script.sh'), 'utf8');
  return Promise.all(lab.nodes.map(async (n) => {
    await writeFile(join(n.root, 'var/tmp/kb-facts.sh'), script);
    let least = Infinity;
    for (let i = 0; i < 3; i++) {
      const r = await lab.exec(n.name, 'a=$(cat /proc/sys/kernel/ns_last_pid); sh /var/tmp/kb-facts.sh >/dev/null 2>&1; b=$(cat /proc/sys/kernel/ns_last_pid); echo $((b - a - 1))');
      least = Math.min(least, Number(r.stdout.trim()));
    }
    return least;
  }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => (ms / 1000).toFixed(2);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function benchOne(arch: Arch, count: number): Promise<BenchEntry> {
  const bootStarted = Date.now();
  const lab = await startLab({ nodes: Array.from({ length: count }, (_, i) => ({ name: i === 0 ? 'kmaster' : `knode${i}`, variant: 'trixie' as const, arch })) });
  await Promise.all(lab.nodes.map((n) => lab.waitForSsh(n.name))).catch(async (err: unknown) => {
    await lab.down();
    throw err;
  });
  const bootMs = Date.now() - bootStarted;
  const release = await startStandinRelease();
  const dir = await mkdtemp(join(tmpdir(), 'kbootstrap-bench-'));
  const inv = parse(await lab.inventory({ staticIps: true })) as Record<string, unknown>;
  inv.kubeconfig = { path: join(dir, 'kubeconfig'), merge: false };
  await writeFile(join(dir, 'inventory.yaml'), stringify(inv));
  const env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: join(dir, 'cache') };
  const args = ['init', '-i', join(dir, 'inventory.yaml'), '--yes'];
  try {
    const loadFirst = load();
    const first = await runCli(args, env);
    if (first.code !== 0) throw new Error(`first run exited ${first.code}`);
    console.log(`\n== ${count} ${arch} nodes (booted and answering SSH in ${s(bootMs)} s) ==`);
    console.log(`first run: ${s(first.ms)} s (load ${loadFirst}); per phase: ${fmtPhases(phaseTimes(first))}`);
    const floors: number[] = [];
    const reruns: Timed[] = [];
    const procs: number[][] = [];
    const calib = await lastPids(lab);
    const calibEnd = await lastPids(lab);
    const probe = median(calibEnd.map((b, i) => b - calib[i]!)); // what reading the last PID itself starts
    for (let r = 0; r < repeat; r++) {
      floors.push(await floor(lab, lab.credentials.password, lab.credentials.passwordFile));
      const before = await lastPids(lab);
      const rerun = await runCli(args, env);
      const after = await lastPids(lab);
      if (rerun.code !== 0) throw new Error(`re-run ${r + 1} exited ${rerun.code}`);
      reruns.push(rerun);
      procs.push(after.map((a, i) => a - before[i]! - probe));
      console.log(`  try ${r + 1}: floor ${s(floors[r]!)} s, re-run ${s(rerun.ms)} s (load ${load()})`);
    }
    const floorMs = median(floors);
    const mid = reruns.map((r) => r.ms).indexOf(median(reruns.map((r) => r.ms)));
    const rerun = reruns[mid]!;
    const trips = roundTrips(rerun);
    const processes = Object.fromEntries(lab.nodes.map((n, i) => [n.name, median(procs.map((p) => p[i]!))]));
    const facts = Object.fromEntries((await factsProcesses(lab)).map((p, i) => [lab.nodes[i]!.name, p]));
    const changes = rerun.events.filter(({ e }) => e.kind === 'change').length;
    if (process.argv.includes('--hold')) await hold(args, env);
    console.log(`floor ${s(floorMs)} s, no-op re-run ${s(rerun.ms)} s (median of ${repeat}), ratio ${(rerun.ms / floorMs).toFixed(2)}; changes in the re-run: ${changes}`);
    console.log(`re-run per phase: ${fmtPhases(phaseTimes(rerun))}`);
    console.log(`round trips per node: ${fmtNodes(trips)}`);
    console.log(`processes started per node during the re-run: ${fmtNodes(processes)}`);
    console.log(`processes the facts script starts: ${fmtNodes(facts)}`);
    return {
      arch, nodes: count, date: new Date().toISOString(), load: load(), bootMs, firstMs: first.ms, floorMs, rerunMs: rerun.ms,
      ratio: Number((rerun.ms / floorMs).toFixed(2)), floors, reruns: reruns.map((r) => r.ms), roundTrips: trips, processes, factsProcesses: facts,
      firstPhases: phaseTimes(first), rerunPhases: phaseTimes(rerun),
    };
  } finally {
    await release.close();
    await lab.down();
  }
}

/** `--hold`: keeps the lab up after the measurement (to profile a re-run by hand) until stdin ends or Ctrl-C. */
async function hold(args: string[], env: Record<string, string>): Promise<void> {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`holding the lab; re-run with:\n  ${vars} node ${CLI} ${args.join(' ')}\nend with Ctrl-D or Ctrl-C`);
  await new Promise<void>((done) => {
    process.stdin.resume().once('end', done);
    process.once('SIGINT', done);
  });
}

const fmtPhases = (p: Record<string, number>) => Object.entries(p).map(([k, v]) => `${k} ${s(v)}`).join(', ');
const fmtNodes = (p: Record<string, number>) => Object.entries(p).map(([k, v]) => `${k} ${v}`).join(', ');

async function main(): Promise<void> {
  if (process.argv.includes('--chart-only')) {
    // Redraw the chart and the table from the stored figures, measuring nothing.
    const stored = JSON.parse(await readFile(RESULTS, 'utf8')) as BenchEntry[];
    await writeFile(join(OUT_DIR, 'bench.svg'), drawChart(stored));
    await writeFile(join(OUT_DIR, 'results.md'), markdownTable(stored));
    console.log(markdownTable(stored));
    return;
  }
  requireRoot();
  await mkdir(OUT_DIR, { recursive: true });
  console.log(`kbootstrap bench, ${new Date().toISOString()}, load ${load()}, ${repeat} tries per size`);
  for (const { arch, nodes } of plan) {
    const entry = await benchOne(arch, nodes);
    // Read just before writing: another bench (another lab index) may have stored other sizes meanwhile.
    const stored = JSON.parse(await readFile(RESULTS, 'utf8').catch(() => '[]')) as BenchEntry[];
    const i = stored.findIndex((e) => e.arch === arch && e.nodes === nodes);
    if (i >= 0) stored[i] = entry;
    else stored.push(entry);
    stored.sort((a, b) => a.arch.localeCompare(b.arch) || a.nodes - b.nodes);
    await writeFile(RESULTS, `${JSON.stringify(stored, null, 2)}\n`);
    await writeFile(join(OUT_DIR, 'bench.svg'), drawChart(stored));
    await writeFile(join(OUT_DIR, 'results.md'), markdownTable(stored));
  }
  console.log(`\nwrote ${RESULTS}, ${join(OUT_DIR, 'results.md')} and ${join(OUT_DIR, 'bench.svg')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
