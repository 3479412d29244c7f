import { createHash, createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * kbootstrap's own known_hosts, in OpenSSH's format (`host keytype base64` for port 22,
 * `[host]:port keytype base64` otherwise), so `ssh-keygen -R` and `ssh -o UserKnownHostsFile=` work on it.
 * Reads hashed (`|1|salt|hash`) and comma-separated host fields too, so a user's own file can be used.
 */
export const defaultKnownHostsFile = (): string => join(homedir(), '.config', 'kbootstrap', 'known_hosts');

export interface HostKey {
  type: string;
  /** base64 of the SSH wire-format public key blob. */
  base64: string;
}

export type HostKeyCheck =
  | { status: 'known' }
  | { status: 'new' }
  | { status: 'changed'; known: HostKey[] };

/** The host field OpenSSH writes: `host` on port 22, `[host]:port` otherwise. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:...` as `ssh-keygen -lf` and `ssh` print it. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export function fingerprintOf(key: HostKey): string {
  return fingerprint(Buffer.from(key.base64, 'base64'));
}

/** The key type named inside a public key blob (its first SSH string), e.g. `ssh-ed25519`. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

function hostFieldMatches(field: string, pattern: string): boolean {
  for (const entry of field.split(',')) {
    if (entry.startsWith('|1|')) {
      const [, , salt, hash] = entry.split('|');
      if (!salt || !hash) continue;
      const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(pattern).digest('base64');
      if (digest === hash) return true;
    } else if (entry === pattern) {
      return true;
    }
  }
  return false;
}

interface Line {
  text: string;
  hosts?: string;
  key?: HostKey;
}

function parseLine(text: string): Line {
  const trimmed = text.trim();
  if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('@')) return { text };
  const [hosts, type, base64] = trimmed.split(/\s+/);
  if (!hosts || !type || !base64) return { text };
  return { text, hosts, key: { type, base64 } };
}

async function readLines(file: string): Promise<Line[]> {
  try {
    return (await fs.readFile(file, 'utf8')).split('\n').map(parseLine);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Every key recorded for host:port. */
export async function knownKeys(file: string, host: string, port: number): Promise<HostKey[]> {
  const pattern = hostPattern(host, port);
  return (await readLines(file)).filter((l) => l.key && hostFieldMatches(l.hosts!, pattern)).map((l) => l.key!);
}

/**
 * Compares the key a server presented with the file. A host with keys recorded but none equal to this
 * one counts as changed, also when the recorded keys are of another type (we ask for the known types
 * first, so a server that still has its old key presents it).
 */
export async function checkHostKey(file: string, host: string, port: number, keyBlob: Buffer): Promise<HostKeyCheck> {
  const known = await knownKeys(file, host, port);
  if (known.length === 0) return { status: 'new' };
  const base64 = keyBlob.toString('base64');
  if (known.some((k) => k.base64 === base64)) return { status: 'known' };
  return { status: 'changed', known };
}

async function ensureDir(file: string): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
}

/** Appends host:port's key (one O_APPEND write, safe with concurrent connects). The file is 0600. */
export async function recordHostKey(file: string, host: string, port: number, keyBlob: Buffer): Promise<void> {
  await ensureDir(file);
  const line = `${hostPattern(host, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`;
  const handle = await fs.open(file, 'a', 0o600);
  try {
    await handle.appendFile(line);
  } finally {
    await handle.close();
  }
  await fs.chmod(file, 0o600);
}

/** Removes every key of host:port (plain or hashed entries); returns how many lines went. */
export async function forgetHostKey(file: string, host: string, port: number): Promise<number> {
  const lines = await readLines(file);
  const pattern = hostPattern(host, port);
  const kept = lines.filter((l) => !(l.key && hostFieldMatches(l.hosts!, pattern)));
  const removed = lines.length - kept.length;
  if (removed === 0) return 0;
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  await fs.writeFile(tmp, kept.map((l) => l.text).join('\n'), { mode: 0o600 });
  await fs.rename(tmp, file);
  return removed;
}

/** The shell command that forgets the key, for error hints (works without kbootstrap). */
export function forgetCommand(file: string, host: string, port: number): string {
  return `ssh-keygen -R '${hostPattern(host, port)}' -f '${file}'`;
}

const algorithmsForKeyType: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Host key algorithms to offer, known types first (like OpenSSH), so a known host shows its known key. */
export function preferredHostKeyAlgorithms(known: HostKey[], defaults: readonly string[]): string[] {
  const first = known.flatMap((k) => algorithmsForKeyType[k.type] ?? [k.type]);
  return [...new Set([...first.filter((a) => defaults.includes(a)), ...defaults])];
}
