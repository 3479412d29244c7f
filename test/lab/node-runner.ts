import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import { applyNetworkIntent, readNetworkIntent } from './emulated-network-shim.js';
import { powerCycleLink } from './network.js';
import { sleep } from './sh.js';
import type { NodeState } from './state.js';

export const NSPAWN_REBOOT_EXIT = 133;

export function nspawnArgs(node: Pick<NodeState, 'netns' | 'merged' | 'machine'>): string[] {
  return [
    '--boot', '--register=no', '--keep-unit', '--settings=no',
    '--capability=CAP_NET_ADMIN,CAP_NET_RAW',
    `--network-namespace-path=/run/netns/${node.netns}`,
    '-D', node.merged, `--machine=${node.machine}`,
    '--console=read-only', '--resolv-conf=off', '--timezone=off', '--link-journal=no',
  ];
}

/**
 * amd64 nodes get a cgroup v2 hierarchy like Pi OS. arm64 nodes keep the host's hybrid layout: under
 * qemu-user, systemd 257 cannot spawn services into a cgroup v2 (clone3 CLONE_INTO_CGROUP fails with
 * EINVAL), so on those nodes /sys/fs/cgroup looks like cgroup v1.
 */
export function nspawnEnv(arch: NodeState['arch']): Record<string, string> {
  return { SYSTEMD_NSPAWN_API_VFS_WRITABLE: 'network', ...(arch === 'amd64' ? { SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' } : {}) };
}

/** The node's PID 1 (host PID): the child of nspawn that is PID 1 of a new PID namespace. */
export function findLeaderPid(nspawnPid: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = /\nPPid:\s+(\d+)/.exec(status)?.[1];
      const nspid = /\nNSpid:\s+([\d\s]+)\n/.exec(status)?.[1]?.trim().split(/\s+/);
      if (Number(ppid) === nspawnPid && nspid?.length === 2 && nspid[1] === '1') return Number(entry);
    } catch {
      // the process went away while we looked
    }
  }
  return undefined;
}

export interface RunnerHooks {
  changed(): void;
  log(message: string): void;
  dns: string;
}

/**
 * Keeps one node powered: boots it with systemd-nspawn, and when it exits with 133 (a reboot inside)
 * power-cycles its link and boots it again. Poweroff (or any other exit) leaves it off.
 */
export class NodeRunner {
  private child?: ChildProcess;
  private stopRequested = false;
  private loop?: Promise<void>;

  constructor(readonly node: NodeState, private readonly hooks: RunnerHooks) {}

  start(): void {
    if (this.loop) return;
    this.stopRequested = false;
    this.loop = this.run().finally(() => (this.loop = undefined));
  }

  /** Pulls the power: SIGKILL to the node's PID 1 ends every process in it at once. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    const pid = this.node.leaderPid;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    } else {
      this.child?.kill('SIGKILL');
    }
    await this.loop;
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  private async run(): Promise<void> {
    for (;;) {
      const code = await this.bootOnce();
      this.node.lastExit = code;
      this.node.nspawnPid = undefined;
      this.node.leaderPid = undefined;
      if (this.stopRequested || code !== NSPAWN_REBOOT_EXIT) {
        this.node.power = 'off';
        this.hooks.changed();
        await powerCycleLink(this.node.netns);
        return;
      }
      this.node.reboots += 1;
      this.node.power = 'rebooting';
      this.hooks.changed();
      this.hooks.log(`${this.node.name} rebooted (${this.node.reboots})`);
    }
  }

  private async bootOnce(): Promise<number> {
    const node = this.node;
    await powerCycleLink(node.netns);
    node.power = 'starting';
    node.boots += 1;
    const out = openSync(node.consoleLog, 'a');
    const child = spawn('systemd-nspawn', nspawnArgs(node), {
      stdio: ['ignore', out, out],
      env: { ...process.env, ...nspawnEnv(node.arch) },
    });
    closeSync(out);
    this.child = child;
    node.nspawnPid = child.pid;
    this.hooks.changed();
    const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    let done = false;
    void exited.then(() => (done = true));
    for (let i = 0; i < 100 && !done && !node.leaderPid && child.pid; i++) {
      node.leaderPid = findLeaderPid(child.pid);
      if (!node.leaderPid) await sleep(100);
    }
    if (!done) {
      node.power = 'running';
      this.hooks.changed();
      if (node.arch === 'arm64' && !node.linkCut) await this.applyShim();
    }
    return exited;
  }

  /** arm64 only: what NetworkManager/dhcpcd/networkd would do at boot (see emulated-network-shim.ts). */
  async applyShim(): Promise<void> {
    const node = this.node;
    try {
      const intent = await readNetworkIntent(node.merged, node.stack);
      const ip = await applyNetworkIntent(node.netns, node.merged, intent, {
        scriptPath: `${node.diskDir}.udhcpc.sh`, hostname: node.hostname, fallbackDns: this.hooks.dns,
      });
      node.shimError = undefined;
      this.hooks.log(`${node.name}: network shim applied ${intent.kind} from ${intent.source}: ${ip}`);
    } catch (err) {
      node.shimError = (err as Error).message;
      this.hooks.log(`${node.name}: network shim failed: ${node.shimError}`);
    }
    this.hooks.changed();
  }
}
