import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withKubeconfigLock } from './lock.js';
import { mergeKubeconfigDetailed } from './merge.js';
import { expandHome } from '../inventory/paths.js';
import { resolveKubeconfigPath } from './paths.js';
import { rewriteKubeconfig } from './rewrite.js';

/** `config.kbootstrap-backup-2025-01-31T12-00-00.000Z` (colons replaced: portable file names). */
export function backupPathFor(path: string, now: Date): string {
  return join(dirname(path), `${basename(path)}.kbootstrap-backup-${now.toISOString().replace(/:/g, '-')}`);
}

/**
 * Writes a kubeconfig atomically (temp file in the same directory, fsync, rename) with mode 0600,
 * creating its directory with mode 0700. With backup, an existing file is first copied to a
 * timestamped backup (also 0600).
 */
export async function writeKubeconfig(
  path: string,
  content: string,
  opts: { backup: boolean; now?: Date } = { backup: true },
): Promise<{ path: string; backupPath?: string }> {
  const target = expandHome(path);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  let backupPath: string | undefined;
  if (opts.backup && (await exists(target))) {
    backupPath = backupPathFor(target, opts.now ?? new Date());
    await copyFile(target, backupPath);
    await chmod(backupPath, 0o600);
  }
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tmp, 0o600);
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
  return { path: target, backupPath };
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : Promise.reject(err)),
  );
}

export interface InstallKubeconfigOptions {
  /** /etc/rancher/k3s/k3s.yaml as read from a server. */
  k3sYaml: string;
  context: string;
  /** Host (IP or name), host:port or URL of the API server. */
  server: string;
  /** inventory kubeconfig.path (~ allowed). */
  path: string;
  merge: boolean;
  setCurrent: boolean;
  env?: NodeJS.ProcessEnv;
  home?: string;
  now?: Date;
}

export interface InstallKubeconfigResult {
  path: string;
  backupPath?: string;
  context: string;
  currentContext?: string;
  replaced: string[];
  added: string[];
  /** The file already held exactly this: nothing was written. */
  unchanged?: boolean;
}

/** What writing the kubeconfig would do, read-only: the file, its new content, and whether it already holds it. */
export interface KubeconfigPlan {
  path: string;
  content: string;
  /** The file already holds exactly this: nothing would be written. */
  unchanged: boolean;
  context: string;
  currentContext?: string;
  replaced: string[];
  added: string[];
}

/** Rewrite, merge (or own file) as the write would, reading only: for plan, --dry-run and the change line. */
export async function planKubeconfig(opts: InstallKubeconfigOptions): Promise<KubeconfigPlan> {
  const path = resolveKubeconfigPath(opts.path, { merge: opts.merge, env: opts.env, home: opts.home });
  const incoming = rewriteKubeconfig(opts.k3sYaml, { context: opts.context, server: opts.server });
  const current = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
  const merged = mergeKubeconfigDetailed(opts.merge ? current : undefined, incoming, { setCurrent: opts.setCurrent });
  return { path, content: merged.content, unchanged: current === merged.content, context: opts.context, currentContext: merged.currentContext, replaced: merged.replaced, added: merged.added };
}

/** Everything the kubeconfig phase does on the workstation: under kubectl's lock, rewrite, merge (or own file), write 0600. */
export async function installKubeconfig(opts: InstallKubeconfigOptions & { lockTimeoutMs?: number }): Promise<InstallKubeconfigResult> {
  const path = resolveKubeconfigPath(opts.path, { merge: opts.merge, env: opts.env, home: opts.home });
  return withKubeconfigLock(path, async () => {
    // Planned again under the lock: what another writer put there meanwhile is merged, not lost.
    const plan = await planKubeconfig(opts);
    // A re-run that changes nothing leaves the file (and its backups) alone.
    const written = plan.unchanged ? { path: plan.path, unchanged: true } : await writeKubeconfig(plan.path, plan.content, { backup: true, now: opts.now });
    return { ...written, context: plan.context, currentContext: plan.currentContext, replaced: plan.replaced, added: plan.added };
  }, opts.lockTimeoutMs);
}
