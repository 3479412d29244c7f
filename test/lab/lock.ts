import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from './sh.js';

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A host-wide lock (a directory holding the owner's pid); a dead owner's lock is taken over. */
export async function withLock<T>(lockDir: string, what: string, fn: () => Promise<T>, log: (m: string) => void = () => undefined): Promise<T> {
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(join(lockDir, 'pid'), 'utf8').catch(() => '')).trim());
      if (owner && !alive(owner)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) log(`waiting for ${what} (held by pid ${owner || '?'})`);
      told = true;
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
