import { run, type RunResult } from './sh.js';
import type { Lab } from './lab.js';

const SSH_OPTS = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10', '-o', 'BatchMode=no'];

/**
 * Runs a command over real SSH as pi, the way kbootstrap reaches a node: with the lab password
 * (through sshpass, read from the password file) or the lab key. stdin is `input`.
 */
export function sshRun(lab: Lab, address: string, command: string, opts: { auth?: 'password' | 'key'; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const auth = opts.auth ?? 'password';
  const base = auth === 'key'
    ? ['ssh', '-i', lab.credentials.privateKeyPath, '-o', 'PasswordAuthentication=no', ...SSH_OPTS]
    : ['sshpass', '-f', lab.credentials.passwordFile, 'ssh', '-o', 'PubkeyAuthentication=no', ...SSH_OPTS];
  const [cmd, ...args] = base;
  return run(cmd!, [...args, `pi@${address}`, command], { input: opts.input, timeoutMs: opts.timeoutMs ?? 60_000 });
}

/** `sudo` over SSH with the password on stdin, as a tool without NOPASSWD does it. */
export function sshSudo(lab: Lab, address: string, command: string, timeoutMs?: number): Promise<RunResult> {
  return sshRun(lab, address, `sudo -S -p '' sh -c '${command.replace(/'/g, `'\\''`)}'`, { input: `${lab.credentials.password}\n`, timeoutMs });
}
