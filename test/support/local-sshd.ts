/**
 * A throwaway OpenSSH server on 127.0.0.1 for the SSH tests (needs root and the `openssh-server`
 * package). Each instance has its own host key, config and log in a temp dir, and its own two users,
 * created here and deleted by stop():
 *   - `user`: password login, sudo WITH a password;
 *   - `nopwUser`: password login, NOPASSWD sudo.
 * Root logs in with a generated key (`rootKey`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

/** Why the local sshd cannot run here, or undefined when it can. */
export function localSshdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (creates users, runs sshd)';
  if (!existsSync(SSHD)) return `needs ${SSHD} (apt-get install openssh-server)`;
  if (!existsSync('/usr/bin/sudo')) return 'needs sudo (apt-get install sudo)';
  return undefined;
}

export interface TestUser {
  name: string;
  password: string;
}

export interface LocalSshd {
  host: string;
  /** The same server on another loopback address (a node reached on its new static IP). */
  otherHost: string;
  port: number;
  /** Temp dir holding keys, config, log; tests may put files here. */
  dir: string;
  rootKey: string;
  rootPublicKey: string;
  user: TestUser;
  nopwUser: TestUser;
  /** SHA256 fingerprint of the current host key, as ssh-keygen prints it. */
  hostFingerprint(): string;
  /** Stops sshd, makes a brand-new host key, starts again on the same port. */
  restartWithNewHostKey(): Promise<void>;
  /** SIGSTOPs every sshd process serving a session (the listener keeps running): a link that went silent. */
  freezeSessions(): number;
  /** SIGCONTs them again (call before stop so they can exit). */
  thawSessions(): void;
  stop(): Promise<void>;
}

function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForBanner(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ host: '127.0.0.1', port });
      sock.setTimeout(1000);
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('SSH-'));
      });
      sock.once('error', () => resolve(false));
      sock.once('timeout', () => {
        sock.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`local sshd did not come up on port ${port}`);
}

function createUser(sudoers: string): TestUser {
  const name = `kbt${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  sh('useradd', ['-m', '-s', '/bin/sh', name]);
  sh('chpasswd', [], `${name}:${password}\n`);
  writeFileSync(`/etc/sudoers.d/${name}`, `Defaults:${name} lecture=never\n${name} ALL=(ALL:ALL) ${sudoers}\n`, { mode: 0o440 });
  return { name, password };
}

function deleteUser(user: TestUser): void {
  rmSync(`/etc/sudoers.d/${user.name}`, { force: true });
  try {
    sh('pkill', ['-KILL', '-u', user.name]);
  } catch {
    /* no processes left */
  }
  try {
    sh('userdel', ['-r', '-f', user.name]);
  } catch {
    /* already gone */
  }
}

/** Child pids of `pid`, recursively, read from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export async function startLocalSshd(): Promise<LocalSshd> {
  const why = localSshdUnavailable();
  if (why) throw new Error(`local sshd unavailable: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'kb-sshd-'));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const hostKey = join(dir, 'host_ed25519');
  const rootKey = join(dir, 'root_ed25519');
  const makeHostKey = () => {
    rmSync(hostKey, { force: true });
    rmSync(`${hostKey}.pub`, { force: true });
    sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kb-test-host', '-f', hostKey]);
  };
  makeHostKey();
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kb-test-root', '-f', rootKey]);
  mkdirSync(join(dir, 'authorized'), { mode: 0o755 });
  writeFileSync(join(dir, 'authorized', 'root'), readFileSync(`${rootKey}.pub`), { mode: 0o600 });
  const user = createUser('ALL');
  const nopwUser = createUser('NOPASSWD: ALL');
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      // A second address of the same server: a node "moving" to its static IP.
      'ListenAddress 127.0.0.2',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      // Root's key lives in the temp dir; the test users keep their own ~/.ssh/authorized_keys.
      `AuthorizedKeysFile ${join(dir, 'authorized', '%u')} .ssh/authorized_keys`,
      'StrictModes no',
      'Subsystem sftp internal-sftp',
      'MaxStartups 100',
      'MaxSessions 100',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );

  let proc: ChildProcess | undefined;
  let frozen: number[] = [];
  const start = async () => {
    proc = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', () => undefined);
    await waitForBanner(port, 10_000);
  };
  const stopProc = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    for (const pid of descendants(p.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };
  await start();

  const freezeSessions = (): number => {
    frozen = proc?.pid ? descendants(proc.pid) : [];
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    return frozen.length;
  };
  const thawSessions = (): void => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        /* gone */
      }
    }
    frozen = [];
  };

  return {
    host: '127.0.0.1',
    otherHost: '127.0.0.2',
    port,
    dir,
    rootKey,
    rootPublicKey: `${rootKey}.pub`,
    user,
    nopwUser,
    hostFingerprint: () => sh('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`]).split(' ')[1]!,
    async restartWithNewHostKey() {
      await stopProc();
      makeHostKey();
      await start();
    },
    freezeSessions,
    thawSessions,
    async stop() {
      thawSessions();
      await stopProc();
      deleteUser(user);
      deleteUser(nopwUser);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
