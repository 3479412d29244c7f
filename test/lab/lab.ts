import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { controlRequest } from './control.js';
import { alive } from './lock.js';
import * as faultOps from './faults.js';
import { inventoryYaml } from './inventory.js';
import { currentIpv4 } from './network.js';
import { defaultLabId, labNames, labSubnet, nodeNames, RUN_ROOT, type Arch, type LabSubnet, type Variant } from './paths.js';
import { ensureRootfs } from './rootfs.js';
import { run, runOk, sleep, waitFor, type RunResult } from './sh.js';
import { readState, writeState, type LabCredentials, type LabState, type NodeState } from './state.js';
import { teardownLab } from './teardown.js';
import { buildRecipe, stackOf } from './variants.js';

export interface LabNodeSpec {
  name: string;
  variant?: Variant;
  arch?: Arch;
  /** Force a machine-id (cloned SD cards: give two nodes the same one). */
  machineId?: string;
  /** Default: the stock one ("raspberrypi"; "vagrant" for the netplan variant). */
  hostname?: string;
  /** Pi OS images made before 2022 let pi sudo without a password; default false (sudo asks). */
  sudoNoPassword?: boolean;
}

export interface LabNode {
  name: string;
  variant: string;
  arch: string;
  netns: string;
  hostname: string;
  stack: string;
  /** The node's root as the host sees it (overlay merged dir). */
  root: string;
}

export interface Lab {
  id: string;
  index: number;
  subnet: LabSubnet;
  nodes: LabNode[];
  credentials: LabCredentials;
  ip(node: string): Promise<string>;
  exec(node: string, command: string, timeoutMs?: number): Promise<RunResult>;
  readFile(node: string, path: string): Promise<string | undefined>;
  rebootCount(node: string): number;
  /** Power state of the node as the supervisor sees it. */
  power(node: string): NodeState['power'];
  waitForSsh(node: string, ip?: string, timeoutMs?: number): Promise<void>;
  inventory(opts?: { servers?: number; ha?: boolean; staticIps?: boolean; extra?: Record<string, unknown> }): Promise<string>;
  faults: {
    stop(node: string): Promise<void>;
    start(node: string): Promise<void>;
    cutLink(node: string): Promise<void>;
    restoreLink(node: string): Promise<void>;
    killSshd(node: string): Promise<void>;
    /** Every `sudo` on the node blocks until unhang (a wrapper replaces /usr/bin/sudo meanwhile). */
    hang(node: string): Promise<void>;
    unhang(node: string): Promise<void>;
    changeHostKey(node: string): Promise<void>;
    fillDisk(node: string): Promise<void>;
    unfillDisk(node: string): Promise<void>;
  };
  down(): Promise<void>;
}

const NODE_NAME = /^[a-z][a-z0-9-]{0,14}$/;
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const SUPERVISOR = fileURLToPath(new URL('./supervisor-main.ts', import.meta.url));

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (namespaces, mounts, systemd-nspawn)');
}

async function makeCredentials(names: ReturnType<typeof labNames>): Promise<LabState['credentials']> {
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kbootstrap-lab', '-f', names.privateKey]);
  await writeFile(names.passwordFile, `${randomBytes(15).toString('base64url')}\n`, { mode: 0o600 });
  await writeFile(names.knownHosts, '', { mode: 0o600 });
  return { user: 'pi', privateKeyPath: names.privateKey, publicKeyPath: `${names.privateKey}.pub`, passwordFile: names.passwordFile };
}

/**
 * Starts a lab (replacing any lab with the same id): builds missing root filesystems, then a detached
 * supervisor that boots the nodes. Resolves when every node is powered (not yet answering SSH).
 */
export async function startLab(opts: { nodes: LabNodeSpec[]; index?: number; id?: string; diskSizeMb?: number; log?: (m: string) => void }): Promise<Lab> {
  requireRoot();
  const index = opts.index ?? Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);
  const id = opts.id ?? defaultLabId(index);
  const log = opts.log ?? (() => undefined);
  const seen = new Set<string>();
  for (const n of opts.nodes) {
    if (!NODE_NAME.test(n.name)) throw new Error(`lab node name "${n.name}" must be a short hostname (a-z, 0-9, -; 15 characters max)`);
    if (seen.has(n.name)) throw new Error(`lab node name "${n.name}" is used twice`);
    seen.add(n.name);
  }
  await teardownLab(id, index);
  const rootfs = new Map<string, string>();
  for (const n of opts.nodes) {
    const key = `${n.variant ?? 'trixie'}:${n.arch ?? 'arm64'}`;
    if (!rootfs.has(key)) rootfs.set(key, (await ensureRootfs(n.variant ?? 'trixie', n.arch ?? 'arm64', log)).path);
  }
  const names = labNames(id, index);
  await mkdir(names.runDir, { recursive: true, mode: 0o700 });
  await mkdir(names.diskDir, { recursive: true });
  const credentials = await makeCredentials(names);
  const nodes: NodeState[] = opts.nodes.map((spec, position) => {
    const variant = spec.variant ?? 'trixie';
    const arch = spec.arch ?? 'arm64';
    return {
      name: spec.name, position, variant, arch, stack: stackOf(variant),
      hostname: spec.hostname ?? buildRecipe(variant, arch).hostname,
      machineId: spec.machineId ?? randomBytes(16).toString('hex'),
      sudoNoPassword: spec.sudoNoPassword ?? false,
      rootfs: rootfs.get(`${variant}:${arch}`)!,
      ...nodeNames(id, index, spec.name, position),
      power: 'off', boots: 0, reboots: 0, linkCut: false,
    };
  });
  const state: LabState = {
    id, index, status: 'starting', supervisorPid: 0, bridge: names.bridge, subnet: labSubnet(index),
    runDir: names.runDir, diskSizeMb: opts.diskSizeMb ?? 3072, credentials, nodes, createdAt: new Date().toISOString(),
  };
  writeState(names.stateFile, state);
  const out = openSync(names.supervisorLog, 'a');
  const child = spawn(TSX, [SUPERVISOR, id, String(index)], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const final = await waitFor('the lab supervisor to start the nodes', async () => {
    const s = readState(names.stateFile);
    return s && (s.status === 'up' || s.status === 'failed') ? s : undefined;
  }, 180_000, 200).catch((err: Error) => {
    throw new Error(`${err.message}; see ${names.supervisorLog}`);
  });
  if (final.status === 'failed') {
    throw new Error(`lab ${id} failed to start: ${final.error ?? 'unknown'} (log: ${names.supervisorLog})`);
  }
  return attachLab(id);
}

/** A handle on a running lab (started by startLab or `npm run lab -- up`). */
export async function attachLab(id: string): Promise<Lab> {
  const stateFile = `${RUN_ROOT}/${id}/state.json`;
  const initial = readState(stateFile);
  if (!initial) throw new Error(`no lab "${id}" is running (no ${stateFile}); start one with: npm run lab -- up`);
  const names = labNames(id, initial.index);
  const current = (): LabState => readState(stateFile) ?? initial;
  const node = (name: string): NodeState => {
    const n = current().nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node "${name}" in lab ${id} (nodes: ${initial.nodes.map((x) => x.name).join(', ')})`);
    return n;
  };
  const password = (await readFile(initial.credentials.passwordFile, 'utf8')).trim();
  const control = (op: string, nodeName?: string) => controlRequest(names.controlSocket, { op, node: nodeName });

  const exec = async (name: string, command: string, timeoutMs = 120_000): Promise<RunResult> => {
    const pid = node(name).leaderPid;
    if (!pid) throw new Error(`node ${name} is not running`);
    const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];
    return run('nsenter', ['-t', String(pid), '-m', '-u', '-i', '-n', '-p', '-r', '-w', '--', '/usr/bin/env', '-i', ...env, '/bin/sh', '-c', command], { timeoutMs });
  };
  const ip = (name: string) => waitFor(`an IPv4 address on ${name}`, () => currentIpv4(node(name).netns), 180_000);

  const lab: Lab = {
    id,
    index: initial.index,
    subnet: initial.subnet,
    nodes: initial.nodes.map((n) => ({ name: n.name, variant: n.variant, arch: n.arch, netns: n.netns, hostname: n.hostname, stack: n.stack, root: n.merged })),
    credentials: { ...initial.credentials, password },
    ip,
    exec,
    async readFile(name, path) {
      const r = await exec(name, `cat -- '${path.replace(/'/g, `'\\''`)}'`);
      return r.code === 0 ? r.stdout : undefined;
    },
    rebootCount: (name) => node(name).reboots,
    power: (name) => node(name).power,
    async waitForSsh(name, addr, timeoutMs = 180_000) {
      await waitFor(`sshd on ${name}`, async () => {
        const target = addr ?? (await currentIpv4(node(name).netns));
        return target && (await sshBanner(target)) ? true : undefined;
      }, timeoutMs, 500);
    },
    async inventory(opts = {}) {
      const addresses = await Promise.all(initial.nodes.map((n) => ip(n.name)));
      return inventoryYaml({
        clusterName: id, subnet: initial.subnet, user: 'pi', passwordFile: initial.credentials.passwordFile,
        knownHosts: names.knownHosts,
        nodes: initial.nodes.map((n, i) => ({ name: n.name, address: addresses[i]!, variant: n.variant })),
        ...opts,
      });
    },
    faults: {
      stop: (name) => control('stop', name),
      async start(name) {
        await control('start', name);
        await waitFor(`${name} to power on`, async () => (node(name).power === 'running' ? true : undefined), 60_000, 200);
      },
      cutLink: (name) => control('cut-link', name),
      restoreLink: (name) => control('restore-link', name),
      killSshd: (name) => faultOps.killSshd(exec, name),
      hang: (name) => faultOps.hang(exec, name),
      unhang: (name) => faultOps.unhang(exec, name),
      changeHostKey: (name) => faultOps.changeHostKey(exec, node(name)),
      fillDisk: (name) => faultOps.fillDisk(node(name)),
      unfillDisk: (name) => faultOps.unfillDisk(node(name)),
    },
    async down() {
      await downLab(id, initial.index);
    },
  };
  return lab;
}

/** Stops a lab and removes everything it made; works when its supervisor is gone too. */
export async function downLab(id: string, index: number): Promise<void> {
  const names = labNames(id, index);
  const state = readState(names.stateFile);
  if (state && existsSync(names.controlSocket)) {
    await controlRequest(names.controlSocket, { op: 'down' }, 10_000).catch(() => undefined);
    for (let i = 0; i < 300 && alive(state.supervisorPid); i++) await sleep(100);
  }
  await teardownLab(id, index);
}

/** True when something on addr:22 speaks SSH. */
export function sshBanner(addr: string, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: addr, port: 22, timeout: timeoutMs });
    const finish = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('data', (d: Buffer) => finish(d.toString().startsWith('SSH-')));
    sock.once('timeout', () => finish(false));
    sock.once('error', () => finish(false));
  });
}

export function readLabState(id: string): LabState | undefined {
  return readState(`${RUN_ROOT}/${id}/state.json`);
}

