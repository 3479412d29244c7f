// `npm run demo`: kbootstrap init against the lab's emulated Raspberry Pi fleet, for a person with no
// hardware at hand. k3s itself cannot be had offline, so the lab's k3s stand-in (not Kubernetes) is
// served as the k3s release; everything else (SSH, node preparation, reboots, joins) is real.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { startStandinRelease } from '../test/e2e/standin-release.js';
import { requireRoot, startLab, type LabNodeSpec } from '../test/lab/lab.js';
import type { Arch } from '../test/lab/paths.js';

const arch = (process.argv.includes('--amd64') ? 'amd64' : 'arm64') as Arch;
const count = Number(process.env.KBOOTSTRAP_DEMO_NODES ?? 4);

const started = Date.now();
const since = () => `${Math.round((Date.now() - started) / 1000)} s`;

/** kbootstrap's own build (tsc), run alongside the lab's start: the emulated root filesystem build leaves a core free. */
function buildKbootstrap(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('close', (c) => (c === 0 ? done() : fail(new Error(`npm run build failed (exit ${c})`))));
  });
}

async function main(): Promise<number> {
  requireRoot();
  const nodes: LabNodeSpec[] = Array.from({ length: count }, (_, i) => ({ name: i === 0 ? 'kmaster' : `knode${i}`, variant: 'trixie', arch }));
  console.error(`starting ${count} ${arch} lab nodes (Pi OS Trixie-like, on DHCP addresses) and building kbootstrap...`);
  const building = buildKbootstrap().then(() => console.error(`  kbootstrap built (${since()})`));
  const lab = await startLab({ nodes, log: (m) => console.error(`  lab: ${m}`) });
  console.error(`  lab: ${count} nodes booting (${since()})`);
  // An emulated node's sshd comes up well after its address (a minute on a loaded machine): init starts
  // when every node answers SSH, so the demo shows the boot instead of a connection refused.
  let up = 0;
  await Promise.all(nodes.map(async (n) => {
    await lab.waitForSsh(n.name, undefined, 300_000);
    console.error(`  lab: ${n.name} answers SSH (${++up}/${count}, ${since()})`);
  }));
  await building;
  const release = await startStandinRelease();
  const inventory = resolve('lab-inventory.yaml');
  const inv = parse(await lab.inventory({ staticIps: true })) as Record<string, unknown>;
  inv.kubeconfig = { path: resolve('lab-kubeconfig'), merge: false };
  await writeFile(inventory, stringify(inv));
  console.error(`inventory: ${inventory}\nrunning: kbootstrap init -i ${inventory} --yes\n`);
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, [resolve('dist/bin/kbootstrap.js'), 'init', '-i', inventory, '--yes'], {
      stdio: 'inherit',
      env: { ...process.env, KBOOTSTRAP_K3S_RELEASE_URL: release.url },
    });
    child.on('close', (c) => done(c ?? 70));
  });
  await release.close();
  console.error(`\ndemo: ${code === 0 ? 'cluster Ready' : `init exited ${code}`} after ${since()} (from the start of npm run demo)`);
  console.error(`The lab stays up. Try: node dist/bin/kbootstrap.js status -i ${inventory}   (again: init re-runs change nothing)`);
  console.error('Take it down: npm run lab -- down');
  return code;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
