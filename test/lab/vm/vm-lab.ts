import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inventoryYaml } from '../inventory.js';
import * as faultOps from '../faults.js';
import { sshBanner } from '../lab.js';
import { createBridge, deleteLink, linkExists, startDnsmasq } from '../network.js';
import { labNames, labSubnet, RUN_ROOT, STATE_ROOT, type Arch, type LabSubnet } from '../paths.js';
import { ensureRootfs } from '../rootfs.js';
import { run, runOk, waitFor, type RunResult } from '../sh.js';
import { buildRecipe } from '../variants.js';
import { makeBootVolume, stockCmdline } from './boot-volume.js';
import { ensureRootImage } from './image.js';
import { ensureKernel, sbin, type VmKernel } from './kernel.js';
import { vmMac } from './qemu.js';
import { VmRunner, type VmNodeRun } from './runner.js';

export interface VmNodeSpec {
  name: string;
  arch?: Arch;
  memoryMb?: number;
  /** Appended to the stock cmdline.txt, e.g. a planted cgroup_disable=memory. */
  cmdlineExtra?: string[];
}

export interface VmLab {
  id: string;
  index: number;
  subnet: LabSubnet;
  nodes: { name: string; arch: Arch; mac: string }[];
  credentials: { user: 'pi'; privateKeyPath: string; passwordFile: string; password: string; knownHosts: string };
  /** The node's address now: the first of its expected addresses (see expectAddress) or its DHCP lease that answers SSH. */
  ip(node: string, timeoutMs?: number): Promise<string>;
  /** A static address the node should move to (after kbootstrap's reboot): ip() tries it first. */
  expectAddress(node: string, address: string): void;
  /** A root shell over SSH with the lab key (the first-boot unit installs it for root), for assertions. */
  exec(node: string, command: string, timeoutMs?: number, input?: string): Promise<RunResult>;
  readFile(node: string, path: string): Promise<string | undefined>;
  rebootCount(node: string): number;
  /** Whether QEMU runs for the node ('rebooting' between a guest reboot and the next boot). */
  power(node: string): VmNodeRun['power'];
  /** Every boot's kernel command line, as read from the node's cmdline.txt before that boot. */
  cmdlines(node: string): string[];
  /** Workstation time (ms) at which the node's latest boot started. */
  lastBootStartedMs(node: string): number;
  waitForSsh(node: string, timeoutMs?: number): Promise<string>;
  inventory(opts?: { staticIps?: boolean; extra?: Record<string, unknown> }): Promise<string>;
  /** Faults that apply to a machine with its own kernel (see test/lab/vm/README.md). */
  faults: {
    /** Pulls the power: QEMU is killed, the node stays off. */
    stop(node: string): Promise<void>;
    /** Powers the node on: it boots with the command line its cmdline.txt holds then. */
    start(node: string): void;
    /** The node's tap goes down on the host side: an unplugged cable, across reboots. */
    cutLink(node: string): Promise<void>;
    restoreLink(node: string): Promise<void>;
    /** The node's next reboot fails: the guest goes down and stays off (until start). */
    failNextReboot(node: string): void;
    /** Every `sudo` on the node blocks until unhang (the nspawn lab's wrapper, installed over SSH). */
    hang(node: string): Promise<void>;
    unhang(node: string): Promise<void>;
  };
  down(): Promise<void>;
}

const NODE_NAME = /^[a-z][a-z0-9-]{0,14}$/;
const SSH_OPTS = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10', '-o', 'BatchMode=yes'];

const unitFile = (unit: string) => (unit.includes('.') ? unit : `${unit}.service`);

function leaseFor(leaseFile: string, mac: string): string | undefined {
  if (!existsSync(leaseFile)) return undefined;
  const lines = readFileSync(leaseFile, 'utf8').split('\n').filter((l) => l.split(' ')[1]?.toLowerCase() === mac);
  return lines.at(-1)?.split(' ')[2];
}

/**
 * What every vm node of `arch` boots from: the kernel and the shared root image (made from the lab's
 * Trixie root filesystem). Built once and cached; `npm run lab:rootfs` builds them before the suites.
 */
export async function ensureVmBase(arch: Arch, log: (m: string) => void = () => undefined): Promise<{ kernel: VmKernel; base: string }> {
  const kernel = await ensureKernel(arch, log);
  const rootfs = (await ensureRootfs('trixie', arch, log)).path;
  return { kernel, base: await ensureRootImage(rootfs, kernel, buildRecipe('trixie', arch).mask.map(unitFile), log) };
}

/**
 * vm nodes: real kernels under QEMU (software emulation) on the lab's bridge of this index, for what a
 * container cannot show (the booted command line, the memory cgroup controller, swap, a static address
 * set by the node's own network stack). Same shape as the nspawn lab's handle where it applies. The
 * nodes run as children of this process (one test file); down() removes everything it made. Joins the
 * bridge of a running nspawn lab of the same index, else makes the bridge and its DHCP server itself.
 */
export async function startVmLab(opts: { nodes: VmNodeSpec[]; index?: number; log?: (m: string) => void; changed?: () => void }): Promise<VmLab> {
  if (process.getuid?.() !== 0) throw new Error('vm nodes need root (tap devices on the lab bridge)');
  const index = opts.index ?? Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);
  const id = `kbvm${index}`;
  const subnet = labSubnet(index);
  const runDir = join(RUN_ROOT, id);
  const diskRoot = join(STATE_ROOT, id);
  const logFile = join(runDir, 'vm-lab.log');
  for (const n of opts.nodes) if (!NODE_NAME.test(n.name)) throw new Error(`vm node name "${n.name}" must be a short hostname`);
  await rm(runDir, { recursive: true, force: true });
  await rm(diskRoot, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  await mkdir(diskRoot, { recursive: true });
  const log = (m: string) => {
    appendFileSync(logFile, `${new Date().toISOString()} ${m}\n`);
    opts.log?.(m);
  };

  const bridge = labNames(`kblab${index}`, index).bridge;
  const ownBridge = !(await linkExists(bridge));
  const leases = ownBridge ? join(runDir, 'dnsmasq.leases') : labNames(`kblab${index}`, index).leases;
  const dnsmasq = ownBridge ? (await createBridge(bridge, subnet), startDnsmasq(bridge, subnet, leases, join(runDir, 'dnsmasq.log'))) : undefined;

  const privateKeyPath = join(runDir, 'id_ed25519');
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kbootstrap-vm-lab', '-f', privateKeyPath]);
  const password = randomBytes(15).toString('base64url');
  const passwordFile = join(runDir, 'password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  const knownHosts = join(runDir, 'known_hosts');
  await writeFile(knownHosts, '', { mode: 0o600 });
  const passwordHash = (await runOk('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n` })).trim();
  const authorizedKeys = readFileSync(`${privateKeyPath}.pub`, 'utf8');

  const runners = new Map<string, VmRunner>();
  const expected = new Map<string, string[]>();
  const nodes = opts.nodes.map((n, position) => ({ ...n, arch: n.arch ?? 'amd64' as Arch, mac: vmMac(index, position), tap: `kbv${index}n${position}` }));
  const teardown = async () => {
    await Promise.all([...runners.values()].map((r) => r.stop()));
    for (const n of nodes) await deleteLink(n.tap);
    if (dnsmasq) {
      dnsmasq.kill('SIGTERM');
      await deleteLink(bridge);
    }
    await rm(diskRoot, { recursive: true, force: true });
  };
  try {
    for (const n of nodes) {
      const { kernel, base } = await ensureVmBase(n.arch, log);
      const dir = join(diskRoot, n.name);
      await mkdir(dir, { recursive: true });
      const rootOverlay = join(dir, 'root.qcow2');
      await runOk('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', base, rootOverlay]);
      const bootVolume = join(dir, 'boot.img');
      await makeBootVolume(bootVolume, { cmdline: stockCmdline(n.arch, n.cmdlineExtra), identity: { authorizedKeys, passwordHash } });
      await runOk(sbin('ip'), ['tuntap', 'add', 'dev', n.tap, 'mode', 'tap']);
      await runOk(sbin('ip'), ['link', 'set', n.tap, 'master', bridge]);
      await runOk(sbin('ip'), ['link', 'set', n.tap, 'up']);
      const runner = new VmRunner({
        arch: n.arch, kernel: kernel.vmlinuz, rootOverlay, bootVolume, tap: n.tap, mac: n.mac,
        memoryMb: n.memoryMb ?? 1024, consoleLog: join(runDir, `${n.name}.console.log`),
      }, log, opts.changed);
      runners.set(n.name, runner);
      runner.start();
    }
  } catch (err) {
    await teardown();
    throw err;
  }

  const runner = (name: string): VmRunner => {
    const r = runners.get(name);
    if (!r) throw new Error(`no vm node "${name}" in ${id} (nodes: ${nodes.map((n) => n.name).join(', ')})`);
    return r;
  };
  const mac = (name: string) => nodes.find((n) => n.name === name)!.mac;
  const tap = (name: string) => (runner(name), nodes.find((n) => n.name === name)!.tap);
  const candidates = (name: string) => [...(expected.get(name) ?? []), leaseFor(leases, mac(name))].filter((a): a is string => !!a);
  const answering = async (name: string) => {
    for (const a of candidates(name)) if (await sshBanner(a, 1500)) return a;
    return undefined;
  };
  const ip = (name: string, timeoutMs = 300_000) => waitFor(`sshd on vm node ${name}`, () => answering(name), timeoutMs, 1000);
  const exec = async (name: string, command: string, timeoutMs = 120_000, input?: string): Promise<RunResult> =>
    run('ssh', ['-i', privateKeyPath, ...SSH_OPTS, `root@${await ip(name, timeoutMs)}`, command], { timeoutMs, input });

  return {
    id, index, subnet,
    nodes: nodes.map((n) => ({ name: n.name, arch: n.arch, mac: n.mac })),
    credentials: { user: 'pi', privateKeyPath, passwordFile, password, knownHosts },
    ip,
    expectAddress: (name, address) => expected.set(name, [address, ...(expected.get(name) ?? []).filter((a) => a !== address)]),
    exec,
    async readFile(name, path) {
      const r = await exec(name, `cat -- '${path.replace(/'/g, `'\\''`)}'`);
      return r.code === 0 ? r.stdout : undefined;
    },
    rebootCount: (name) => runner(name).run.reboots,
    power: (name) => runner(name).run.power,
    cmdlines: (name) => [...runner(name).run.cmdlines],
    lastBootStartedMs: (name) => runner(name).run.bootStartedMs.at(-1) ?? 0,
    waitForSsh: (name, timeoutMs) => ip(name, timeoutMs),
    async inventory(invOpts = {}) {
      const addresses = await Promise.all(nodes.map((n) => ip(n.name)));
      return inventoryYaml({
        clusterName: id, subnet, user: 'pi', passwordFile, knownHosts,
        nodes: nodes.map((n, i) => ({ name: n.name, address: addresses[i]!, variant: 'trixie' })),
        staticIps: invOpts.staticIps, extra: invOpts.extra,
      });
    },
    faults: {
      stop: (name) => runner(name).stop(),
      start: (name) => runner(name).start(),
      cutLink: async (name) => void (await runOk(sbin('ip'), ['link', 'set', tap(name), 'down'])),
      restoreLink: async (name) => void (await runOk(sbin('ip'), ['link', 'set', tap(name), 'up'])),
      failNextReboot: (name) => void (runner(name).failNextReboot = true),
      hang: (name) => faultOps.hang(exec, name),
      unhang: (name) => faultOps.unhang(exec, name),
    },
    down: teardown,
  };
}
