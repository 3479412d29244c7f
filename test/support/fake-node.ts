import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { FileFact, NodeFacts } from '../../src/facts/types.js';
import { K3S_CONFIG_PATH, K3S_REGISTRATION_CONFIG_PATH } from '../../src/k3s/config.js';
import { GET_NODES_COMMAND } from '../../src/k3s/nodes.js';
import { uninstallScriptPath } from '../../src/k3s/uninstall.js';
import { K3S_BINARY_PATH, k3sServiceName, sha256Hex } from '../../src/k3s/units.js';
import { AGENT_TOKEN_PATH, SERVER_TOKEN_PATH } from '../../src/phases/k3s-install.js';
import { REBOOT_PENDING_FILE } from '../../src/phases/reboot-pending.js';
import { REBOOT_COMMAND } from '../../src/phases/reboot.js';
import { RESTORE_BACKUPS_COMMAND } from '../../src/phases/restore.js';
import { RUN_GENERATION_FILE, RUN_LOCK_FILE } from '../../src/phases/lock.js';
import type { ExecOptions, WriteFileOptions } from '../../src/ssh/transport.js';
import { shellWords } from '../addons/fake-cluster.js';
import { makeFacts } from './facts-factory.js';
import { FakeK3sCluster } from './fake-k3s-cluster.js';
import { FIXED_CANDIDATES, GLOBBED_CANDIDATES, k3sYaml } from './fake-node-files.js';
import { FakeTransport, type FakeAnswer } from './fake-transport.js';

const K3S_YAML_PATH = '/etc/rancher/k3s/k3s.yaml';
const RUN_MARKER = '/run/kbootstrap-reboot-pending';
/**
 * One simulated node behind the fake transport (not a real node, not k3s): files in a map, a k3s
 * installation whose state follows the commands kbootstrap sends (upload/download of the binary,
 * unit and config files, enable/start/restart, uninstall), a boot that applies the boot files, and
 * `gathered()` facts that describe all of it the way the facts script would. A server answers kubectl
 * from the shared FakeK3sCluster.
 */
export class FakeNode extends FakeTransport {
  k3sVersion?: string;
  k3sBinarySha?: string;
  k3sEnabled = false;
  k3sActive = false;
  /** Why k3s keeps exiting (journal), when it does. */
  k3sFailure?: string;
  restarts = 0;
  /** Firmware that boots without cmdline.txt's flags (verify must catch it). */
  kernelIgnoresCmdline = false;
  activeSinceMs = 0;
  bootId = 'boot-1';
  reboots = 0;
  /** Original content (null: absent) of every file written with a backup. */
  readonly backups = new Map<string, string | null>();
  /** File modes (default 0644), as the facts report them. */
  readonly modes = new Map<string, number>();
  private clock = 1;

  constructor(
    name: string,
    readonly role: 'server' | 'agent',
    readonly cluster: FakeK3sCluster,
    public base: NodeFacts = makeFacts({ hostname: name, arch: 'aarch64' }),
  ) {
    super(name);
    for (const f of Object.values(base.files)) if (f.content !== null) this.files.set(f.path, f.content);
    if (base.boot) {
      for (const f of [base.boot.cmdline, base.boot.config]) if (f.content !== null) this.files.set(f.path, f.content);
    }
  }

  /** A node already running k3s in the cluster (installed by an earlier kbootstrap run with these files). */
  adopt(files: Record<string, string>, version: string, binarySha = 'b'.repeat(64)): this {
    for (const [p, c] of Object.entries(files)) this.files.set(p, c);
    this.k3sVersion = version;
    this.k3sBinarySha = binarySha;
    this.files.set(K3S_BINARY_PATH, `k3s ${version}`);
    this.k3sEnabled = true;
    this.start();
    return this;
  }

  /** Runs a command as the node would (no transport round trip): for set-ups that stand for an earlier run. */
  applyCommand(command: string): void {
    const r = this.answer(command, {});
    if (r.code) throw new Error(`fake node ${this.node}: ${command} exited ${r.code}: ${r.stderr ?? ''}`);
  }

  /** Facts as the facts script would report them now. */
  gathered(): NodeFacts {
    const files: Record<string, FileFact> = {};
    const boots = this.base.boot ? [this.base.boot.cmdline.path, this.base.boot.config.path] : [];
    const fact = (path: string): FileFact => {
      const content = this.files.get(path);
      return content === undefined ? { path, content: null } : { path, content, mode: (this.modes.get(path) ?? 0o644).toString(8) };
    };
    for (const path of [...FIXED_CANDIDATES, ...boots]) files[path] = fact(path);
    for (const path of this.files.keys()) if (GLOBBED_CANDIDATES.test(path)) files[path] = fact(path);
    const unit = this.role === 'server' ? '/etc/systemd/system/k3s.service' : '/etc/systemd/system/k3s-agent.service';
    const installed = this.k3sVersion !== undefined;
    const sum = (p: string) => (this.files.has(p) ? sha256Hex(this.files.get(p)!) : undefined);
    const pending = (this.files.get(REBOOT_PENDING_FILE) ?? '').split('\n').filter(Boolean);
    const boot = this.base.boot && {
      ...this.base.boot,
      cmdline: { ...this.base.boot.cmdline, content: this.files.get(this.base.boot.cmdline.path) ?? null },
      config: { ...this.base.boot.config, content: this.files.get(this.base.boot.config.path) ?? null },
    };
    return {
      ...this.base,
      ...(boot ? { boot } : {}),
      files,
      k3s: {
        installed,
        serviceActive: this.k3sActive,
        ...(installed ? { version: this.k3sVersion, role: this.role, binarySha256: this.k3sBinarySha } : {}),
        ...(installed && this.k3sActive ? { serviceSinceMs: this.activeSinceMs } : {}),
        ...(sum(K3S_CONFIG_PATH) ? { configSha256: sum(K3S_CONFIG_PATH) } : {}),
        ...(sum(unit) ? { unitSha256: sum(unit) } : {}),
      },
      backups: [...this.backups.keys()],
      absentBackups: [...this.backups].filter(([, c]) => c === null).map(([p]) => p),
      clockMs: Date.now(),
      bootId: this.bootId,
      rebootPending: pending[0] === this.bootId ? pending.slice(1) : [],
    };
  }

  override async writeFile(path: string, content: string, opts: WriteFileOptions = {}): Promise<void> {
    const before = this.files.get(path) ?? null;
    await super.writeFile(path, content, opts);
    if (opts.mode !== undefined) this.modes.set(path, opts.mode);
    if (opts.backup && !this.backups.has(path)) this.backups.set(path, before);
  }

  override async upload(localPath: string, remotePath: string, opts: WriteFileOptions = {}): Promise<void> {
    await super.upload(localPath, remotePath, opts);
    const content = readFileSync(localPath, 'utf8');
    this.files.set(remotePath, content);
    if (remotePath === K3S_BINARY_PATH) {
      this.k3sBinarySha = sha256Hex(content);
      this.k3sVersion = /v\d+\.\d+\.\d+\+k3s\d+/.exec(content)?.[0] ?? 'v0.0.0+k3s0';
    }
  }

  override async reconnect(host?: string): Promise<void> {
    await super.reconnect(host);
    if (this.files.has(RUN_MARKER) && this.rebootScheduled) this.boot();
  }

  private rebootScheduled = false;

  protected override answer(command: string, opts: ExecOptions): FakeAnswer {
    const unit = k3sServiceName(this.role);
    if (command === REBOOT_COMMAND) {
      this.files.set(RUN_MARKER, '');
      this.rebootScheduled = true;
      return {};
    }
    if (command === `test -e ${RUN_MARKER}`) return { code: this.files.has(RUN_MARKER) ? 0 : 1 };
    if (command.startsWith('k3s kubectl ')) {
      if (this.role !== 'server' || !this.k3sActive) return { code: 1, stderr: 'The connection to the server 127.0.0.1:6443 was refused' };
      return command === GET_NODES_COMMAND ? { stdout: this.cluster.getNodesJson() } : this.cluster.kubectlCommand(command);
    }
    if (command.startsWith('cat ')) {
      const path = command.slice(4).trim();
      const content = this.files.get(path);
      return content === undefined ? { code: 1, stderr: `cat: ${path}: No such file or directory` } : { stdout: content };
    }
    if (command.startsWith(`systemctl is-active --quiet ${unit}`)) {
      const tokenOk = this.role === 'agent' || this.files.has(SERVER_TOKEN_PATH);
      return { code: this.k3sActive && tokenOk ? 0 : 3 };
    }
    if (command === `systemctl show -p NRestarts --value ${unit}`) return { stdout: `${this.restarts}\n` };
    if (command.startsWith(`journalctl -u ${unit}`)) return { stdout: this.k3sFailure ?? '' };
    if (command === 'systemctl daemon-reload' || command.startsWith('{ [ -e /usr/local/bin/kubectl ]')) return {};
    if (command === `systemctl enable ${unit} && systemctl start --no-block ${unit}`) {
      this.k3sEnabled = true;
      this.start();
      return {};
    }
    if (command === `systemctl restart --no-block ${unit}`) {
      this.stop();
      this.start();
      return {};
    }
    if (command.startsWith('set -e\nget() ')) {
      const version = /\/(v\d+\.\d+\.\d+(?:%2B|\+)k3s\d+)\//.exec(command)?.[1];
      this.k3sVersion = version ? decodeURIComponent(version) : 'v0.0.0+k3s0';
      this.k3sBinarySha = sha256Hex(`k3s ${this.k3sVersion}`);
      this.files.set(K3S_BINARY_PATH, `k3s ${this.k3sVersion}`);
      return {};
    }
    if (command.startsWith('sha256sum -- ')) {
      const path = shellWords(command)[2]!;
      const c = this.files.get(path);
      return c === undefined ? { code: 1, stderr: `sha256sum: ${path}: No such file or directory` } : { stdout: `${sha256Hex(c)}  ${path}\n` };
    }
    if (command.startsWith('rm -f ')) {
      const path = shellWords(command).filter((w) => w !== '--')[2]!;
      this.files.delete(path);
      return {};
    }
    if (command === `if [ -x ${uninstallScriptPath(this.role)} ]; then ${uninstallScriptPath(this.role)}; fi`) {
      if (this.files.has(uninstallScriptPath(this.role))) this.uninstall();
      return {};
    }
    if (command === RESTORE_BACKUPS_COMMAND) {
      this.cluster.journal.push(`${this.node}: restore`);
      for (const [path, content] of this.backups) {
        if (content === null) this.files.delete(path);
        else this.files.set(path, content);
      }
      this.backups.clear();
      return {};
    }
    if (command.includes(`> ${RUN_LOCK_FILE}`)) {
      // createLockCommand: exit 3 when held; holding it, exit 4 when the generation is not the one the run read; then bump it.
      if (this.files.has(RUN_LOCK_FILE)) return { code: 3 };
      const generation = Number(this.files.get(RUN_GENERATION_FILE)?.trim() || '0');
      const expected = /\[ "\$g" != (\d+) \]/.exec(command)?.[1];
      if (expected !== undefined && Number(expected) !== generation) return { code: 4 };
      this.files.set(RUN_LOCK_FILE, shellWords(command.slice(command.indexOf("printf '%s\\n' ") + 14).split(' > ')[0]!)[0]!);
      this.files.set(RUN_GENERATION_FILE, `${generation + 1}\n`);
      return {};
    }
    if (command.startsWith('grep -qF ') && command.includes(RUN_LOCK_FILE)) {
      const token = shellWords(command)[2]!;
      if (!(this.files.get(RUN_LOCK_FILE) ?? '').includes(token)) return { code: 1 };
      this.files.delete(RUN_LOCK_FILE);
      return {};
    }
    if (command.startsWith('probe() {')) {
      const ips = /for a in ([\d. ]+); do/.exec(command)?.[1]?.trim().split(' ') ?? [];
      return { stdout: ips.map((ip) => `${ip} noreply`).join('\n') };
    }
    if (/^hostname [a-z0-9-]+$/.test(command)) {
      this.base = { ...this.base, hostname: command.slice('hostname '.length) };
      return {};
    }
    if (command === 'swapoff -a' || command.startsWith('dphys-swapfile swapoff;')) {
      this.base = { ...this.base, swap: { ...this.base.swap, active: [] } };
      return {};
    }
    if (command.includes('authorized_keys')) return this.authorizedKeys(command, opts);
    return { code: 127, stderr: `fake node ${this.node}: no answer scripted for: ${command.split('\n')[0]}` };
  }

  private authorizedKeys(command: string, opts: ExecOptions): FakeAnswer {
    const key = (opts.stdin ?? '').trim();
    const file = '/home/pi/.ssh/authorized_keys';
    const lines = (this.files.get(file) ?? '').split('\n').filter(Boolean);
    if (command.startsWith('IFS= read -r key;')) return { code: lines.includes(key) ? 0 : 1 };
    if (lines.includes(key)) return { stdout: 'present\n' };
    this.files.set(file, [...lines, key, ''].join('\n'));
    return { stdout: 'added\n' };
  }

  /** systemd starts k3s: a server bootstraps or joins, an agent joins; a refused token keeps it exiting. */
  private start(): void {
    if (this.k3sVersion === undefined || !this.files.has(K3S_CONFIG_PATH)) return this.fail('level=fatal msg="no k3s binary or config"');
    const config = (parseYaml(this.files.get(K3S_CONFIG_PATH)!) ?? {}) as Record<string, unknown>;
    const registration = (parseYaml(this.files.get(K3S_REGISTRATION_CONFIG_PATH) ?? '') ?? {}) as Record<string, string[]>;
    const labels = Object.fromEntries((registration['node-label'] ?? []).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    let joinedWith: string | undefined;
    if (this.role === 'server' && !config.server) {
      const tokens = this.cluster.bootstrap(config['agent-token'] as string | undefined);
      this.files.set(SERVER_TOKEN_PATH, `${tokens.server}\n`);
      this.files.set(AGENT_TOKEN_PATH, `${tokens.agent}\n`);
      this.files.set(K3S_YAML_PATH, k3sYaml());
    } else {
      const refusal = this.cluster.refuseJoin(this.role, config.token as string | undefined);
      if (refusal) return this.fail(refusal);
      joinedWith = /::(\w+):/.exec(String(config.token))?.[1] ?? 'short';
      if (this.role === 'server') {
        this.files.set(SERVER_TOKEN_PATH, `${this.cluster.serverToken}\n`);
        this.files.set(K3S_YAML_PATH, k3sYaml());
      }
    }
    this.cluster.journal.push(`${this.node}: start`);
    this.k3sActive = true;
    this.k3sFailure = undefined;
    this.activeSinceMs = this.clock++;
    this.cluster.register(this.node, this.role, labels, registration['node-taint'] ?? [], joinedWith);
  }

  private fail(why: string): void {
    this.cluster.journal.push(`${this.node}: start failed`);
    this.k3sActive = false;
    this.k3sFailure = why;
    this.restarts = 3;
  }

  private stop(): void {
    this.cluster.journal.push(`${this.node}: stop`);
    this.k3sActive = false;
    this.cluster.down(this.node);
  }

  private uninstall(): void {
    this.stop();
    this.cluster.journal.push(`${this.node}: uninstall`);
    this.k3sEnabled = false;
    this.k3sVersion = undefined;
    this.k3sBinarySha = undefined;
    for (const p of [...this.files.keys()]) {
      if (p.startsWith('/etc/rancher/') || p.startsWith('/var/lib/rancher/') || p === K3S_BINARY_PATH || p.startsWith('/etc/systemd/system/k3s') || /^\/usr\/local\/bin\/k3s/.test(p)) this.files.delete(p);
    }
  }

  /** The node comes back from a reboot: a new boot id, /run emptied, boot files and hostname in effect, k3s started if enabled. */
  boot(): void {
    this.rebootScheduled = false;
    this.reboots++;
    this.cluster.journal.push(`${this.node}: boot`);
    this.bootId = `boot-${this.reboots + 1}`;
    this.files.delete(RUN_MARKER);
    const hostname = this.files.get('/etc/hostname')?.trim();
    const cmdline = this.base.boot ? this.files.get(this.base.boot.cmdline.path) ?? '' : this.base.procCmdline;
    const memory = !this.kernelIgnoresCmdline && /\bcgroup_enable=memory\b/.test(cmdline);
    const address = /address1=([\d./]+)/.exec([...this.files].filter(([p]) => p.startsWith('/etc/NetworkManager/system-connections/')).map(([, c]) => c).join('\n'))?.[1];
    this.base = {
      ...this.base,
      ...(hostname ? { hostname } : {}),
      procCmdline: cmdline.trim(),
      cgroup: { ...this.base.cgroup, controllers: memory ? [...new Set([...this.base.cgroup.controllers, 'memory'])] : this.base.cgroup.controllers, memoryEnabled: memory },
      interfaces: address ? this.base.interfaces.map((i) => (i.name === 'eth0' ? { ...i, addresses: [address] } : i)) : this.base.interfaces,
    };
    if (this.k3sActive) this.stop();
    if (this.k3sEnabled) this.start();
  }
}
