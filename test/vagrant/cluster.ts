/**
 * `npm run test:vagrant`: a real Vagrant cluster, 1 server + 2 agents with the libvirt provider, made
 * by vagrant/Vagrantfile from a generated inventory, then `kbootstrap init` against it, unedited. For
 * machines with a hypervisor (libvirtd + KVM); elsewhere it says why it skips and exits 0.
 * KBOOTSTRAP_VAGRANT_KEEP=1 keeps the VMs afterwards (`cd vagrant && KBOOTSTRAP_INVENTORY=... vagrant destroy -f`).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { missing, REPO, VAGRANT_DIR } from './ruby-inventory.js';

const WORK = join(VAGRANT_DIR, '.vagrant', 'test-cluster');
const INVENTORY = join(WORK, 'inventory.yaml');
const NODES = [
  { name: 'kmaster', role: 'server', address: '192.168.56.10' },
  { name: 'knode1', address: '192.168.56.11' },
  { name: 'knode2', address: '192.168.56.12' },
];

function run(cmd: string, args: string[], opts: { cwd?: string; quiet?: boolean } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    stdio: opts.quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, KBOOTSTRAP_INVENTORY: INVENTORY, VAGRANT_CHECKPOINT_DISABLE: '1' },
  });
}

/** Why this machine cannot run the test, or undefined. */
function whyNot(): string | undefined {
  const tool = missing('vagrant') ?? missing('virsh', 'libvirt-clients');
  if (tool) return tool;
  if (!run('vagrant', ['plugin', 'list'], { quiet: true }).stdout.includes('vagrant-libvirt')) return 'the vagrant-libvirt plugin is missing (Debian package vagrant-libvirt)';
  if (run('virsh', ['-c', 'qemu:///system', 'version'], { quiet: true }).status !== 0) return 'no libvirt daemon answers at qemu:///system (Debian package libvirt-daemon-system)';
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return '/dev/kvm is missing or not usable by this user: no hardware virtualisation';
  }
  return undefined;
}

function step(title: string, cmd: string, args: string[], cwd?: string): number {
  const start = Date.now();
  console.log(`\n== ${title}: ${cmd} ${args.join(' ')}`);
  const r = run(cmd, args, { cwd });
  const seconds = Math.round((Date.now() - start) / 1000);
  if (r.status !== 0) throw new Error(`${title} failed (exit ${r.status ?? r.signal}) after ${seconds} s`);
  console.log(`== ${title}: ${seconds} s`);
  return seconds;
}

function main(): number {
  const reason = whyNot();
  if (reason) {
    console.log(`test:vagrant skipped: ${reason}`);
    return 0;
  }
  mkdirSync(WORK, { recursive: true });
  writeFileSync(INVENTORY, stringify({
    cluster: { name: 'kbootstrap-vagrant-test' },
    board: 'vagrant',
    ssh: { user: 'vagrant', agent: false, privateKey: '../kbootstrap/id_ed25519', knownHosts: './known_hosts' },
    nodes: NODES,
    k3s: { disable: ['traefik'] },
    kubeconfig: { path: './kubeconfig', merge: false },
  }));
  const cli = ['tsx', resolve(REPO, 'src/cli/main.ts'), '-i', INVENTORY];
  const times: Record<string, number> = {};
  try {
    times.up = step('vagrant up', 'vagrant', ['up', '--provider=libvirt'], VAGRANT_DIR);
    times.init = step('kbootstrap init', 'npx', [...cli, '--yes', 'init', '--skip-addons']);
    times.again = step('kbootstrap init again (converges)', 'npx', [...cli, '--yes', 'init', '--skip-addons']);
    const nodes = run('vagrant', ['ssh', 'kmaster', '-c', 'sudo k3s kubectl get nodes --no-headers'], { cwd: VAGRANT_DIR, quiet: true });
    const ready = nodes.stdout.split('\n').filter((l) => / Ready /.test(l)).map((l) => l.split(/\s+/)[0]).sort();
    if (ready.join() !== NODES.map((n) => n.name).sort().join()) throw new Error(`k3s nodes Ready: ${ready.join(', ') || 'none'}\n${nodes.stdout}${nodes.stderr}`);
    console.log(`\ntest:vagrant passed: ${ready.length} nodes Ready; times (s): ${JSON.stringify(times)}`);
    return 0;
  } catch (e) {
    console.error(`\ntest:vagrant FAILED: ${(e as Error).message}`);
    return 1;
  } finally {
    if (process.env.KBOOTSTRAP_VAGRANT_KEEP !== '1') step('vagrant destroy', 'vagrant', ['destroy', '-f'], VAGRANT_DIR);
  }
}

process.exitCode = main();
