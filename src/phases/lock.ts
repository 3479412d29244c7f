import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { UserError } from '../errors.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { firstServer } from './k3s-cluster.js';
import type { NodeState, RunContext } from './context.js';

/**
 * One run at a time per cluster: a lock file on the first server (every run of the cluster talks to it),
 * created with the shell's noclobber (O_EXCL) so two runs racing for it cannot both win. It names its
 * holder (command, user@workstation, pid) and since when; a run that finds it says so and how to clear
 * it. A lock left by a kbootstrap on THIS workstation whose process is gone is stale and taken over.
 */
export const RUN_LOCK_FILE = '/var/lib/kbootstrap/run.lock';

export interface LockHolder {
  token: string;
  command: string;
  user: string;
  host: string;
  pid: number;
  since: string;
}

export function formatHolder(h: LockHolder): string {
  return `\`kbootstrap ${h.command}\` of ${h.user}@${h.host} (pid ${h.pid}) since ${h.since}`;
}

export function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    return typeof v.token === 'string' && typeof v.pid === 'number' ? (v as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** A holder on this workstation whose process has ended. */
export function isStale(h: LockHolder, here = hostname(), alive = pidAlive): boolean {
  return h.host === here && !alive(h.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RunLock {
  holder: LockHolder;
  release(): Promise<void>;
}

function createCommand(content: string): string {
  return `mkdir -p /var/lib/kbootstrap && (set -C; printf '%s\\n' ${shellQuote(content)} > ${RUN_LOCK_FILE}) 2>/dev/null`;
}

/** Takes the lock on the first server, or throws naming who holds it. Undefined when the first server is not reachable. */
export async function acquireRunLock(ctx: RunContext, command: string): Promise<RunLock | undefined> {
  const server = firstServer(ctx);
  const t = server.transport;
  if (server.error || !t) return undefined;
  const holder: LockHolder = { token: randomBytes(8).toString('hex'), command, user: userInfo().username, host: hostname(), pid: process.pid, since: new Date().toISOString() };
  const content = JSON.stringify(holder);
  for (let attempt = 0; attempt < 2; attempt++) {
    if ((await t.exec(createCommand(content), { sudo: true })).code === 0) {
      return { holder, release: () => releaseRunLock(server, holder) };
    }
    const seen = await t.readFile(RUN_LOCK_FILE);
    const other = seen === undefined ? undefined : parseHolder(seen.trim());
    if (seen === undefined) continue; // released meanwhile: try again
    if (other && isStale(other) && attempt === 0) {
      ctx.log.emit({ kind: 'message', level: 'warn', node: server.node.name, text: `taking over a stale lock: ${formatHolder(other)} ended without releasing it` });
      await t.run(`rm -f -- ${RUN_LOCK_FILE}`, { sudo: true, description: 'remove the stale run lock' });
      continue;
    }
    throw lockedError(server, other);
  }
  throw lockedError(server, undefined);
}

function lockedError(server: NodeState, other: LockHolder | undefined): UserError {
  const who = other ? formatHolder(other) : 'another run (unreadable lock file)';
  return new UserError(`cluster is locked by ${who}: one kbootstrap run at a time`, {
    where: { node: server.node.name },
    hint: `wait for that run to finish; if it is gone (its machine crashed or lost the link), remove the stale lock: ssh ${server.node.connect.user}@${server.host ?? server.node.connect.host} sudo rm ${RUN_LOCK_FILE}`,
  });
}

/** Removes the lock only while it is still ours. */
async function releaseRunLock(server: NodeState, holder: LockHolder): Promise<void> {
  const t = server.transport;
  if (!t) return;
  await t.exec(`grep -qF ${shellQuote(holder.token)} ${RUN_LOCK_FILE} 2>/dev/null && rm -f -- ${RUN_LOCK_FILE}`, { sudo: true });
}

/** For plan/status: who holds the lock now, if anyone (reads only). */
export async function lockHolder(ctx: RunContext): Promise<LockHolder | undefined> {
  const server = firstServer(ctx);
  if (server.error || !server.transport) return undefined;
  const seen = await server.transport.readFile(RUN_LOCK_FILE);
  return seen === undefined ? undefined : parseHolder(seen.trim());
}
