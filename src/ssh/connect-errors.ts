import { UserError } from '../errors.js';
import { fingerprintOf, forgetCommand, type HostKey } from './known-hosts.js';

export interface ConnectTarget {
  node: string;
  host: string;
  port: number;
  user: string;
  /** Auth methods offered, for the hint ("publickey, password"). */
  methods: string[];
}

const address = (t: ConnectTarget) => `${t.host}:${t.port}`;

export function hostKeyChangedError(t: ConnectTarget, file: string, known: HostKey[], presented: { type: string; fingerprint: string }): UserError {
  const old = known.map((k) => `${k.type} ${fingerprintOf(k)}`).join(', ');
  return new UserError(
    `host key of ${t.node} (${address(t)}) has CHANGED: known ${old}, now presented ${presented.type} ${presented.fingerprint}. Refusing to connect`,
    {
      where: { node: t.node },
      hint:
        `If the node was re-imaged or its SSH keys regenerated, accept the new key with ` +
        `\`kbootstrap known-hosts forget ${t.node}\` or \`${forgetCommand(file, t.host, t.port)}\`, then re-run. ` +
        `If not, someone may be intercepting the connection.`,
    },
  );
}

/** Turns an ssh2/socket failure while connecting into an error that says what to check. */
export function classifyConnectError(err: unknown, t: ConnectTarget, timeoutMs: number): UserError {
  if (err instanceof UserError) return err;
  const e = err as NodeJS.ErrnoException & { level?: string };
  const code = e?.code;
  const message = e?.message ?? String(err);
  const where = { node: t.node };
  if (e?.level === 'client-authentication') {
    return new UserError(`authentication failed for ${t.user}@${address(t)} (node ${t.node})`, {
      where,
      hint: `Tried: ${t.methods.join(', ') || 'nothing (no key, agent or password configured)'}. Check ssh.user, ssh.privateKey and the password source of this node.`,
      cause: err,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new UserError(`cannot connect to ${t.node} at ${address(t)}: connection refused`, {
      where,
      hint: 'Is it powered on and finished booting? Is sshd running? Is the address (and port) right?',
      cause: err,
    });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || e?.level === 'client-timeout' || /Timed out while waiting for handshake/.test(message)) {
    return new UserError(`cannot reach ${t.node} at ${address(t)}: ${code ? code : `no answer within ${Math.round(timeoutMs / 1000)}s`}`, {
      where,
      hint: 'Is it powered on? Is the address right? Is it on the same network as this machine?',
      cause: err,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UserError(`cannot resolve the address of ${t.node}: ${t.host}`, {
      where,
      hint: 'Use an IP address in the inventory, or fix the name (mDNS .local names need avahi on this machine).',
      cause: err,
    });
  }
  if (/Encrypted private (OpenSSH )?key detected|bad passphrase|Cannot parse privateKey/i.test(message)) {
    return new UserError(`cannot use the private key for ${t.node}: ${message}`, {
      where,
      hint: 'kbootstrap does not ask for key passphrases: load the key into ssh-agent (ssh-add) and enable ssh.agent.',
      cause: err,
    });
  }
  return new UserError(`SSH connection to ${t.node} at ${address(t)} failed: ${message}`, { where, cause: err });
}
