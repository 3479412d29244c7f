import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeconfigLockPath, withKubeconfigLock } from '../../src/kubeconfig/lock.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** kubectl's `<kubeconfig>.lock` (client-go clientcmd lockFile): honoured and taken the same way. */
describe('the kubeconfig lock', () => {
  it('is held while writing and removed after', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-kclock-'));
    const path = join(dir, 'config');
    const seen = await withKubeconfigLock(path, async () => readdir(dir!));
    expect(seen).toEqual(['config.lock']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a lock held by kubectl (an empty file) makes the merge wait, then fail with how to clear it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-kclock-'));
    const path = join(dir, 'config');
    await writeFile(kubeconfigLockPath(path), '');
    let ran = false;
    const err = await withKubeconfigLock(path, async () => { ran = true; }, 300).catch((e: unknown) => e as Error);
    expect(ran).toBe(false);
    expect(err?.message).toMatch(new RegExp(`^${path} is locked by another program \\(kubectl leaves an empty lock file\\) since .*; waited 0.3 s$`));
    expect((err as { hint?: string }).hint).toContain(`remove ${path}.lock`);
  });

  it('waits for a lock released meanwhile', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-kclock-'));
    const path = join(dir, 'config');
    await writeFile(kubeconfigLockPath(path), '');
    setTimeout(() => void rm(kubeconfigLockPath(path)), 300);
    expect(await withKubeconfigLock(path, async () => 'written', 5000)).toBe('written');
  });
});
