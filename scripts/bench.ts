// `npm run bench -- --nodes 3 [--arch amd64|arm64]`: wall time of `kbootstrap init` on fresh lab nodes,
// and of a second run that changes nothing, with SSH connections and round trips per node. As root.
// Uses the built CLI (npm run build) and the lab's k3s stand-in (not Kubernetes) as the k3s release.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { LogEvent } from '../src/log/events.js';
import { startStandinRelease } from '../test/e2e/standin-release.js';
import { requireRoot, startLab } from '../test/lab/lab.js';
import type { Arch } from '../test/lab/paths.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const count = Number(arg('nodes', '3'));
const arch = arg('arch', 'amd64') as Arch;

function run(args: string[], env: Record<string, string>): Promise<{ code: number; ms: number; events: LogEvent[] }> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve('dist/cli/main.js'), ...args, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => done({ code: code ?? 70, ms: Date.now() - started, events: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogEvent) }));
  });
}

function stats(events: LogEvent[]): string {
  return events
    .flatMap((e) => (e.kind === 'result' && e.command === 'ssh-stats' ? [e.data as { node: string; connections: number; execs: number }] : []))
    .map((s) => `${s.node} ${s.connections} conn/${s.execs} execs`)
    .join(', ');
}

async function main(): Promise<void> {
  requireRoot();
  const bootStarted = Date.now();
  const lab = await startLab({ nodes: Array.from({ length: count }, (_, i) => ({ name: i === 0 ? 'kmaster' : `knode${i}`, variant: 'trixie' as const, arch })) });
  await Promise.all(lab.nodes.map((n) => lab.waitForSsh(n.name)));
  const bootMs = Date.now() - bootStarted;
  const release = await startStandinRelease();
  const dir = await mkdtemp(join(tmpdir(), 'kbootstrap-bench-'));
  const inv = parse(await lab.inventory({ staticIps: true })) as Record<string, unknown>;
  inv.kubeconfig = { path: join(dir, 'kubeconfig'), merge: false };
  await writeFile(join(dir, 'inventory.yaml'), stringify(inv));
  const env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: join(dir, 'cache') };
  try {
    const first = await run(['init', '-i', join(dir, 'inventory.yaml'), '--yes'], env);
    const second = await run(['init', '-i', join(dir, 'inventory.yaml'), '--yes'], env);
    console.log(`lab: ${count} ${arch} nodes booted and answering SSH in ${(bootMs / 1000).toFixed(1)} s`);
    console.log(`init (prepare, reboot, verify, k3s stand-in, kubeconfig): ${(first.ms / 1000).toFixed(1)} s, exit ${first.code}`);
    console.log(`re-run that changes nothing: ${(second.ms / 1000).toFixed(1)} s, exit ${second.code}; ${stats(second.events)}`);
  } finally {
    await release.close();
    await lab.down();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
