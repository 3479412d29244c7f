import { promises as fs } from 'node:fs';
import { NodeSSH, type Config } from 'node-ssh';
import { UserError } from '../errors.js';
import { resolveUserPath as expandPath } from '../inventory/paths.js';
import type { ResolvedNode } from '../inventory/resolved.js';
import { readSecret } from '../inventory/secrets.js';
import { classifyConnectError, hostKeyChangedError, type ConnectTarget } from './connect-errors.js';
import { looksLikeDefaultPassword } from './default-passwords.js';
import { checkHostKey, fingerprint, keyTypeOf, knownKeys, preferredHostKeyAlgorithms, recordHostKey } from './known-hosts.js';
import { NodeSshTransport } from './node-ssh-transport.js';
import { installKeyScript } from './remote-scripts.js';
import type { Transport } from './transport.js';

export interface HostKeyLearned {
  node: string;
  host: string;
  port: number;
  keyType: string;
  /** `SHA256:...`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  file: string;
}

export interface ConnectOptions {
  /** Inventory directory: relative key and secret file paths are resolved against it. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  /** Overrides node.connect.knownHosts. */
  knownHostsFile?: string;
  /** Connect + handshake + auth must finish within this (default 20 s). */
  timeoutMs?: number;
  /** Called the first time a node's key is seen and recorded (trust on first use): log the fingerprint. */
  onHostKeyLearned?: (learned: HostKeyLearned) => void;
  /** Loud warnings for the user, e.g. a default password still in use. */
  onWarning?: (text: string) => void;
  /** Every secret read is registered here (logger redaction). */
  secrets: { add(s: string): void };
  /** A dead link is noticed after interval × countMax (default 5 s × 3). */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Where writeFile keeps originals (default /var/lib/kbootstrap/backup). */
  backupDir?: string;
  /** false: leave ssh.installKey to the caller (the connect phase plans it through change()). */
  installKey?: boolean;
  /** false (plan, --dry-run): a new host key is trusted for this run but not written to known_hosts. */
  recordNewHostKeys?: boolean;
}

const SSH2_DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

interface Credentials {
  privateKey?: string;
  agent?: string;
  password?: string;
  sudoPassword?: string;
  methods: string[];
}

async function readCredentials(node: ResolvedNode, opts: ConnectOptions): Promise<Credentials> {
  const c = node.connect;
  const creds: Credentials = { methods: [] };
  let keyPath = c.privateKey ? expandPath(c.privateKey, opts.baseDir) : undefined;
  if (!keyPath && c.installKey) {
    // Once the public key is installed, its private half logs in: key auth from then on.
    const candidate = expandPath(c.installKey, opts.baseDir).replace(/\.pub$/, '');
    if (await exists(candidate)) keyPath = candidate;
  }
  if (keyPath) {
    try {
      creds.privateKey = await fs.readFile(keyPath, 'utf8');
      creds.methods.push('publickey');
    } catch (err) {
      throw new UserError(`cannot read the private key for ${node.name}: ${keyPath}`, {
        where: { node: node.name },
        hint: 'Fix ssh.privateKey in the inventory (~ is expanded; relative paths are relative to the inventory).',
        cause: err,
      });
    }
  }
  if (c.agent && opts.env.SSH_AUTH_SOCK) {
    creds.agent = opts.env.SSH_AUTH_SOCK;
    creds.methods.push('agent');
  }
  if (c.password) {
    creds.password = readSecret(c.password, opts.baseDir, opts.env, { what: 'SSH password', node: node.name });
    opts.secrets.add(creds.password);
    creds.methods.push('password', 'keyboard-interactive');
  }
  if (c.sudoPassword) {
    creds.sudoPassword = readSecret(c.sudoPassword, opts.baseDir, opts.env, { what: 'sudo password', node: node.name });
    opts.secrets.add(creds.sudoPassword);
  } else {
    creds.sudoPassword = creds.password;
  }
  return creds;
}

async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(
    () => true,
    () => false,
  );
}

/**
 * How many unanswered keepalives make the link dead: 3 (15 s at the default interval), or as many as
 * KBOOTSTRAP_SSH_DEAD_AFTER (seconds) asks: nodes that stall longer than a Pi ever does, like the lab's
 * emulated vm nodes on a busy host.
 */
export function keepaliveCountMax(intervalMs: number, env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.KBOOTSTRAP_SSH_DEAD_AFTER);
  return Number.isFinite(s) && s > 0 ? Math.max(1, Math.ceil((s * 1000) / intervalMs)) : 3;
}

/**
 * Opens THE connection to a node for this run: host key checked before authenticating (trust on first
 * use, refuse a changed key), then key, agent or password auth. Every command of the run then goes
 * through the returned Transport; `reconnect(newHost)` reopens it after a reboot.
 */
export async function connectNode(node: ResolvedNode, opts: ConnectOptions): Promise<Transport> {
  const creds = await readCredentials(node, opts);
  const knownHostsFile = expandPath(opts.knownHostsFile ?? node.connect.knownHosts, opts.baseDir);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const secrets = [creds.password, creds.sudoPassword].filter((s): s is string => !!s);

  const dial = async (host: string): Promise<NodeSSH> => {
    const target: ConnectTarget = { node: node.name, host, port: node.connect.port, user: node.connect.user, methods: creds.methods };
    const known = await knownKeys(knownHostsFile, host, target.port);
    let refusal: UserError | undefined;
    const config: Config = {
      host,
      port: target.port,
      username: target.user,
      privateKey: creds.privateKey,
      agent: creds.agent,
      password: creds.password,
      tryKeyboard: creds.password !== undefined,
      authHandler: creds.methods as Config['authHandler'],
      readyTimeout: timeoutMs,
      keepaliveInterval: opts.keepaliveIntervalMs ?? 5000,
      keepaliveCountMax: opts.keepaliveCountMax ?? keepaliveCountMax(opts.keepaliveIntervalMs ?? 5000),
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(known, SSH2_DEFAULT_HOST_KEY_ALGORITHMS) as never },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey(key).then(verify, (err: unknown) => {
          refusal = err instanceof UserError ? err : classifyConnectError(err, target, timeoutMs);
          verify(false);
        });
      },
    };
    const verifyHostKey = async (key: Buffer): Promise<boolean> => {
      const check = await checkHostKey(knownHostsFile, host, target.port, key);
      const presented = { type: keyTypeOf(key), fingerprint: fingerprint(key) };
      if (check.status === 'changed') throw hostKeyChangedError(target, knownHostsFile, check.known, presented);
      if (check.status === 'new') {
        if (opts.recordNewHostKeys !== false) await recordHostKey(knownHostsFile, host, target.port, key);
        opts.onHostKeyLearned?.({ node: node.name, host, port: target.port, keyType: presented.type, fingerprint: presented.fingerprint, file: knownHostsFile });
      }
      return true;
    };
    const ssh = new NodeSSH();
    try {
      await ssh.connect(config);
    } catch (err) {
      ssh.dispose();
      throw refusal ?? classifyConnectError(err, target, timeoutMs);
    }
    return ssh;
  };

  const transport = await NodeSshTransport.open({
    node: node.name,
    host: node.connect.host,
    port: node.connect.port,
    user: node.connect.user,
    sudoPassword: creds.sudoPassword,
    secrets,
    backupDir: opts.backupDir,
    dial,
  });
  try {
    if (creds.password && looksLikeDefaultPassword(node.connect.user, creds.password)) {
      opts.onWarning?.(
        `${node.name} still accepts the factory password for "${node.connect.user}": anyone on the network can log in. Change it (passwd) and prefer key auth (ssh.installKey).`,
      );
    }
    if (node.connect.installKey && opts.installKey !== false) await installKey(transport, expandPath(node.connect.installKey, opts.baseDir));
  } catch (err) {
    await transport.close();
    throw err;
  }
  return transport;
}

/**
 * Like ssh-copy-id: appends the public key to the login user's ~/.ssh/authorized_keys (0600, dir 0700)
 * unless it is there. Returns true when it added it.
 */
export async function installKey(transport: Transport, publicKeyFile: string): Promise<boolean> {
  const key = await readPublicKey(transport, publicKeyFile);
  const out = await transport.run(installKeyScript(), { stdin: `${key}\n`, description: 'install the SSH public key' });
  return out.trim() === 'added';
}

/** Whether the login user's authorized_keys already holds the key; reads only. */
export async function publicKeyPresent(transport: Transport, publicKeyFile: string): Promise<boolean> {
  const key = await readPublicKey(transport, publicKeyFile);
  const r = await transport.exec('IFS= read -r key; f="$HOME/.ssh/authorized_keys"; [ -f "$f" ] && grep -qxF -- "$key" "$f"', { stdin: `${key}\n` });
  return r.code === 0;
}

async function readPublicKey(transport: Transport, publicKeyFile: string): Promise<string> {
  let key: string;
  try {
    key = (await fs.readFile(publicKeyFile, 'utf8')).trim().split('\n')[0]!.trim();
  } catch (err) {
    throw new UserError(`cannot read the public key to install on ${transport.node}: ${publicKeyFile}`, {
      where: { node: transport.node },
      hint: 'Fix ssh.installKey in the inventory, or create a key with `ssh-keygen -t ed25519`.',
      cause: err,
    });
  }
  if (!/^(ssh-|ecdsa-|sk-)\S+ [A-Za-z0-9+/=]+/.test(key)) {
    throw new UserError(`${publicKeyFile} does not look like an SSH public key`, {
      where: { node: transport.node },
      hint: 'ssh.installKey must name the .pub file, not the private key.',
    });
  }
  return key;
}
