import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readSync, statSync } from 'node:fs';
import { getPriority } from 'node:os';
import { readCmdline } from './boot-volume.js';
import { endOfRun, qemuArgs, type QemuSpec } from './qemu.js';

export interface VmNodeRun {
  boots: number;
  reboots: number;
  power: 'off' | 'running' | 'rebooting';
  /** The kernel command line of each boot, read from the node's cmdline.txt just before it. */
  cmdlines: string[];
  /** Workstation time (ms) at which each boot's QEMU started. */
  bootStartedMs: number[];
  lastExit?: number;
}

/** The last bytes written to the console log since `offset`. */
function tailSince(path: string, offset: number): string {
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  const from = Math.max(offset, size - 64 * 1024);
  if (size <= from) return '';
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    readSync(fd, buf, 0, buf.length, from);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** QEMU's niceness: 10, like every long lab job. */
export const VM_NICENESS = 10;

/**
 * `nice` arguments that bring a child to VM_NICENESS from `current` (the niceness of this process):
 * nice adds to what it inherits, so under `nice -n 10 npx vitest` another `-n 10` would make QEMU
 * 19, whose CPU weight is a seventh of 10's: a guest so starved on a busy host that its sshd missed
 * SSH keepalives (arm64). Pure, tested by equality.
 */
export function niceArgs(current: number): string[] {
  return current >= VM_NICENESS ? [] : ['nice', '-n', String(VM_NICENESS - current)];
}

/**
 * Keeps one vm node powered like a Pi's firmware: read cmdline.txt from the boot volume, boot QEMU
 * with it (niceness 10, -no-reboot); when the guest reboots QEMU exits and the loop boots it again with
 * the command line it reads then. A poweroff (or a crash) leaves the node off.
 */
export class VmRunner {
  readonly run: VmNodeRun = { boots: 0, reboots: 0, power: 'off', cmdlines: [], bootStartedMs: [] };
  private child?: ChildProcess;
  private stopRequested = false;
  private loop?: Promise<void>;
  /** Lab fault: the guest's next reboot leaves it off, like a Pi that does not come back. */
  failNextReboot = false;

  constructor(readonly spec: Omit<QemuSpec, 'cmdline'>, private readonly log: (m: string) => void, private readonly changed: () => void = () => undefined) {}

  start(): void {
    if (this.loop) return;
    this.stopRequested = false;
    this.loop = this.runLoop().finally(() => (this.loop = undefined));
  }

  /** Pulls the power. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.child?.kill('SIGKILL');
    await this.loop;
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  private async runLoop(): Promise<void> {
    for (;;) {
      const offset = statSync(this.spec.consoleLog, { throwIfNoEntry: false })?.size ?? 0;
      const code = await this.bootOnce();
      this.run.lastExit = code;
      const end = endOfRun(tailSince(this.spec.consoleLog, offset));
      if (this.stopRequested || end !== 'reboot' || this.failNextReboot) {
        const why = !this.stopRequested && end === 'reboot' ? 'its reboot failed (lab fault)' : end;
        this.failNextReboot = false;
        this.run.power = 'off';
        this.log(`${this.spec.tap}: off (exit ${code}, ${why})`);
        this.changed();
        return;
      }
      this.run.reboots += 1;
      this.run.power = 'rebooting';
      this.log(`${this.spec.tap}: rebooted (${this.run.reboots})`);
      this.changed();
    }
  }

  private async bootOnce(): Promise<number> {
    const cmdline = await readCmdline(this.spec.bootVolume);
    const { command, args } = qemuArgs({ ...this.spec, cmdline });
    this.run.cmdlines.push(cmdline);
    this.run.boots += 1;
    this.run.bootStartedMs.push(Date.now());
    this.run.power = 'running';
    this.changed();
    const [program, ...rest] = [...niceArgs(getPriority()), command, ...args];
    const child = spawn(program!, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1))));
    if (code !== 0 && !this.stopRequested) this.log(`${command} exited ${code}: ${stderr.trim()}`);
    return code;
  }
}
