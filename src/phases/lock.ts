import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { UserError } from '../errors.js';
import { RunLevelError } from './errors.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { firstServer } from './k3s-cluster.js';
import type { NodeState, RunContext } from './context.js';

/**
 * One run at a time per cluster: a lock file on the first server (every run of the cluster talks to it),
 * created with the shell's noclobber (O_EXCL) so two runs racing for it cannot both win. It names its
 * holder (command, user@workstation, pid) and since when; a run that finds it says so and how to clear
 * it. A lock left by a kbootstrap on THIS workstation whose process is gone is stale and taken over.
 *
 * A run takes it before its first change, not before it reads: a run that changes nothing (the usual
 * re-run) never writes it. Every run that takes it bumps the generation next to it; the first server's
 * facts pass reads both, and taking the lock fails if the generation moved since, so a run never acts on
 * what it read before another run changed the cluster.
 */
export const RUN_LOCK_FILE = '/var/lib/kbootstrap/run.lock';
export const RUN_GENERATION_FILE = '/var/lib/kbootstrap/run.generation';

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

const LOCK_TAKEN_BY_ANOTHER = 3;
const GENERATION_MOVED = 4;

/**
 * Creates the lock file (exit 3 when it exists); then, holding it, checks the generation against what
 * this run read (exit 4, and the lock removed again, when another run took the lock since) and bumps it.
 */
function createLockCommand(content: string, generation?: number): string {
  const take = `mkdir -p /var/lib/kbootstrap && { (set -C; printf '%s\\n' ${shellQuote(content)} > ${RUN_LOCK_FILE}) 2>/dev/null || exit ${LOCK_TAKEN_BY_ANOTHER}; }`;
  const read = `g=; read -r g < ${RUN_GENERATION_FILE} 2>/dev/null; case $g in ''|*[!0-9]*) g=0;; esac`;
  const check = generation === undefined ? '' : `; if [ "$g" != ${generation} ]; then rm -f -- ${RUN_LOCK_FILE}; exit ${GENERATION_MOVED}; fi`;
  return `${take}; ${read}${check}; echo $((g + 1)) > ${RUN_GENERATION_FILE}`;
}

/**
 * Takes the lock on the first server, or throws naming who holds it. `generation`: what this run's facts
 * read; taking fails when another run took the lock since. Undefined when the first server is not reachable.
 */
export async function acquireRunLock(ctx: RunContext, command: string, generation?: number): Promise<RunLock | undefined> {
  const server = firstServer(ctx);
  const t = server.transport;
  if (server.error || !t) return undefined;
  const holder: LockHolder = { token: randomBytes(8).toString('hex'), command, user: userInfo().username, host: hostname(), pid: process.pid, since: new Date().toISOString() };
  const content = JSON.stringify(holder);
  for (let attempt = 0; attempt < 2; attempt++) {
    const { code } = await t.exec(createLockCommand(content, generation), { sudo: true });
    if (code === 0) return { holder, release: () => releaseRunLock(server, holder) };
    if (code === GENERATION_MOVED) throw clusterMovedError(server);
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
  return new RunLevelError(`cluster is locked by ${who}: one kbootstrap run at a time`, {
    where: { node: server.node.name },
    hint: `wait for that run to finish; if it is gone (its machine crashed or lost the link), remove the stale lock: ssh ${server.node.connect.user}@${server.host ?? server.node.connect.host} sudo rm ${RUN_LOCK_FILE}`,
  });
}

function clusterMovedError(server: NodeState): UserError {
  return new RunLevelError('the cluster changed since this run read it: another kbootstrap run took the lock in between; this run changed nothing', {
    where: { node: server.node.name },
    hint: 'run again: it reads the cluster afresh',
  });
}

/** Removes the lock only while it is still ours. */
async function releaseRunLock(server: NodeState, holder: LockHolder): Promise<void> {
  const t = server.transport;
  if (!t) return;
  await t.exec(`grep -qF ${shellQuote(holder.token)} ${RUN_LOCK_FILE} 2>/dev/null && rm -f -- ${RUN_LOCK_FILE}`, { sudo: true });
}

/** What the first server's facts pass read of the lock (undefined: no snapshot, e.g. that server failed). */
export function lockSeen(ctx: RunContext): { holder?: LockHolder; generation: number } | undefined {
  const snapshot = firstServer(ctx).serverSnapshot;
  if (!snapshot) return undefined;
  const holder = snapshot.runLock ? parseHolder(snapshot.runLock) : undefined;
  return { ...(holder ? { holder } : {}), generation: snapshot.runGeneration };
}

/**
 * The lock, taken once, by the first change of the run (change() asks `ctx.holdLock`): `hold` takes it
 * (checking the generation this run read), `release` gives it back if it was taken.
 */
export function lazyRunLock(ctx: RunContext, command: string, generation?: number): { hold: () => Promise<void>; release: () => Promise<void> } {
  let taking: Promise<RunLock | undefined> | undefined;
  return {
    hold: async () => {
      await (taking ??= acquireRunLock(ctx, command, generation));
    },
    release: async () => {
      const lock = taking && (await taking.catch(() => undefined));
      taking = undefined;
      await lock?.release();
    },
  };
}

/**
 * What the facts passes saw of the run lock, before `locked` starts: another live run holding it refuses
 * this one (under --dry-run only a warning: the plan may be outdated when that run ends); a stale lock
 * of this workstation is taken over now, so even a run with nothing to change clears it.
 */
export async function checkLockSeen(ctx: RunContext, lock: { hold: () => Promise<void> }): Promise<void> {
  const holder = lockSeen(ctx)?.holder;
  if (!holder) return;
  if (ctx.dryRun) {
    ctx.log.emit({ kind: 'message', level: 'warn', text: `a run is in progress: ${formatHolder(holder)}; this plan may be outdated when it ends` });
  } else if (isStale(holder)) {
    await lock.hold();
  } else {
    throw lockedError(firstServer(ctx), holder);
  }
}
