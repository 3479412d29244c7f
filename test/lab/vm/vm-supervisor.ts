import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive } from '../lock.js';
import { RUN_ROOT, type Arch } from '../paths.js';
import { sleep, waitFor } from '../sh.js';
import { startVmLab, type VmLab, type VmNodeSpec } from './vm-lab.js';

/**
 * vm nodes for a person (`npm run lab -- up --kind vm`): a detached process owns the nodes (they are
 * its children, as in a test), writes their state to a file and tears everything down on SIGTERM,
 * so the nodes outlive the command that started them, like the nspawn lab's supervisor.
 */

export interface VmLabState {
  index: number;
  status: 'starting' | 'up' | 'failed' | 'down';
  error?: string;
  supervisorPid: number;
  nodes: { name: string; arch: Arch; mac: string; address?: string; power: string; boots: number; reboots: number }[];
  privateKeyPath?: string;
  passwordFile?: string;
  inventory?: string;
}

/** Files of the vm lab of an index: the supervisor's log and spec sit outside the run dir startVmLab recreates. */
export function vmLabFiles(index: number) {
  const runDir = join(RUN_ROOT, `kbvm${index}`);
  return {
    runDir,
    stateFile: join(RUN_ROOT, `kbvm${index}.state.json`),
    specFile: join(RUN_ROOT, `kbvm${index}.spec.json`),
    supervisorLog: join(RUN_ROOT, `kbvm${index}.supervisor.log`),
    inventory: join(runDir, 'inventory.yaml'),
  };
}

export function readVmLabState(index: number): VmLabState | undefined {
  try {
    return JSON.parse(readFileSync(vmLabFiles(index).stateFile, 'utf8')) as VmLabState;
  } catch {
    return undefined;
  }
}

function writeVmLabState(index: number, state: VmLabState): void {
  const file = vmLabFiles(index).stateFile;
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** The supervisor's body: start the nodes, wait for SSH on each, write the inventory, run until SIGTERM. */
export async function runVmSupervisor(index: number): Promise<void> {
  const files = vmLabFiles(index);
  const nodes = JSON.parse(readFileSync(files.specFile, 'utf8')) as VmNodeSpec[];
  const state: VmLabState = { index, status: 'starting', supervisorPid: process.pid, nodes: [] };
  let lab: VmLab | undefined;
  const save = () => {
    if (lab) {
      const l = lab;
      state.nodes = l.nodes.map((n) => ({
        ...n, address: state.nodes.find((s) => s.name === n.name)?.address, power: l.power(n.name), boots: l.cmdlines(n.name).length, reboots: l.rebootCount(n.name),
      }));
    }
    writeVmLabState(index, state);
  };
  const shutdown = async () => {
    state.status = 'down';
    save();
    await lab?.down();
    await rm(files.stateFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  save();
  try {
    lab = await startVmLab({ index, nodes, log: (m) => console.log(`${new Date().toISOString()} ${m}`), changed: () => save() });
    save();
    for (const n of lab.nodes) {
      const address = await lab.waitForSsh(n.name, 1_800_000);
      state.nodes.find((s) => s.name === n.name)!.address = address;
      save();
    }
    state.inventory = await lab.inventory();
    writeFileSync(files.inventory, state.inventory);
    state.privateKeyPath = lab.credentials.privateKeyPath;
    state.passwordFile = lab.credentials.passwordFile;
    state.status = 'up';
    save();
  } catch (err) {
    state.status = 'failed';
    state.error = (err as Error).message;
    save();
    await lab?.down();
    process.exit(1);
  }
}

const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const MAIN = fileURLToPath(new URL('./vm-supervisor-main.ts', import.meta.url));

/** Starts the detached supervisor of the vm lab of `index` (after stopping a running one) and waits until every node answers SSH. */
export async function upVmLab(index: number, nodes: VmNodeSpec[], log: (m: string) => void): Promise<VmLabState> {
  await downVmLab(index);
  const files = vmLabFiles(index);
  mkdirSync(RUN_ROOT, { recursive: true, mode: 0o700 });
  writeFileSync(files.specFile, JSON.stringify(nodes));
  const out = openSync(files.supervisorLog, 'w');
  const child = spawn(TSX, [MAIN, String(index)], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const pid = child.pid!;
  let told = '';
  // An arm64 image is built once (minutes); an emulated boot takes 1-3 minutes on a busy 2-core host.
  return waitFor('the vm nodes to answer SSH', async () => {
    const s = readVmLabState(index);
    if (s?.status === 'failed') throw new Error(`vm lab ${index} failed: ${s.error} (log: ${files.supervisorLog})`);
    if (!alive(pid)) throw new Error(`the vm lab supervisor exited (log: ${files.supervisorLog})`);
    const progress = s?.nodes.map((n) => `${n.name} ${n.power}${n.address ? ` ${n.address}` : ''}`).join(', ') ?? '';
    if (progress && progress !== told) log((told = progress));
    return s?.status === 'up' ? s : undefined;
  }, 2_400_000, 1000);
}

/** Stops the vm lab of `index`, if one runs: its supervisor tears everything down on SIGTERM. */
export async function downVmLab(index: number): Promise<boolean> {
  const state = readVmLabState(index);
  if (!state) return false;
  if (alive(state.supervisorPid)) {
    process.kill(state.supervisorPid, 'SIGTERM');
    for (let i = 0; i < 600 && alive(state.supervisorPid); i++) await sleep(100);
    if (alive(state.supervisorPid)) throw new Error(`the vm lab supervisor (pid ${state.supervisorPid}) did not stop in 60 s; see ${vmLabFiles(index).supervisorLog}`);
  }
  if (existsSync(vmLabFiles(index).stateFile)) await rm(vmLabFiles(index).stateFile, { force: true });
  return true;
}
