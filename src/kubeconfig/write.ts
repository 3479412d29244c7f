import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { mergeKubeconfigDetailed } from './merge.js';
import { expandHome, resolveKubeconfigPath } from './paths.js';
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

/** Everything the kubeconfig phase does on the workstation: rewrite, merge (or own file), write 0600. */
export async function installKubeconfig(opts: InstallKubeconfigOptions): Promise<InstallKubeconfigResult> {
  const path = resolveKubeconfigPath(opts.path, { merge: opts.merge, env: opts.env, home: opts.home });
  const incoming = rewriteKubeconfig(opts.k3sYaml, { context: opts.context, server: opts.server });
  const existing = opts.merge ? await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err))) : undefined;
  const merged = mergeKubeconfigDetailed(existing, incoming, { setCurrent: opts.setCurrent });
  const current = opts.merge ? existing : await readFile(path, 'utf8').catch(() => undefined);
  // A re-run that changes nothing leaves the file (and its backups) alone.
  const written = current === merged.content ? { path, unchanged: true } : await writeKubeconfig(path, merged.content, { backup: true, now: opts.now });
  return { ...written, context: opts.context, currentContext: merged.currentContext, replaced: merged.replaced, added: merged.added };
}
