import { setTimeout as sleep } from 'node:timers/promises';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

/**
 * kubectl's own lock: client-go (tools/clientcmd/loader.go, lockFile) creates `<kubeconfig>.lock`
 * with O_CREATE|O_EXCL before it writes a kubeconfig and removes it afterwards. Taking the same lock
 * means kbootstrap never merges while `kubectl config` (or another kbootstrap) is writing that file.
 */
export function kubeconfigLockPath(path: string): string {
  return `${path}.lock`;
}

export async function withKubeconfigLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const lock = kubeconfigLockPath(path);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.writeFile(`kbootstrap pid ${process.pid} ${userInfo().username}@${hostname()} ${new Date().toISOString()}\n`).finally(() => handle.close());
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() >= deadline) throw await heldError(lock, path, timeoutMs);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

async function heldError(lock: string, path: string, timeoutMs: number): Promise<UserError> {
  const who = (await readFile(lock, 'utf8').catch(() => '')).trim();
  const since = await stat(lock).then((s) => s.mtime.toISOString(), () => undefined);
  return new UserError(`${path} is locked by ${who ? `"${who}"` : 'another program (kubectl leaves an empty lock file)'}${since ? ` since ${since}` : ''}; waited ${timeoutMs / 1000} s`, {
    hint: `if no kubectl or kbootstrap is writing that file any more, the lock is stale: remove ${lock} and run \`kbootstrap kubeconfig\` again`,
  });
}
