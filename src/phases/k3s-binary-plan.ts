import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defaultCacheDir, resolveK3sVersion, sha256File } from '../k3s/binary.js';
import { k3sArchOf, k3sAssetName, k3sReleaseUrl } from '../k3s/release.js';
import { expandHome } from '../inventory/paths.js';
import type { RunContext } from './context.js';

/**
 * What the k3s binary step would do, without doing it (plan, --dry-run): the cached binary when it
 * is there and still matches its recorded sum (read only: a bad cache entry is left for the real run
 * to replace), else a line saying what would be downloaded from where into where.
 */
export async function plannedK3sBinary(ctx: RunContext, arch: string): Promise<{ path: string; sha256: string } | undefined> {
  const { version: wanted, binary } = ctx.inventory.k3s;
  const version = await resolveK3sVersion(wanted);
  const asset = k3sAssetName(k3sArchOf(arch));
  const dir = join(resolve(expandHome(binary.cacheDir ?? defaultCacheDir())), version);
  const path = join(dir, asset);
  const recorded = await readFile(`${path}.sha256`, 'utf8').then((t) => t.split(/\s+/)[0], () => undefined);
  const actual = recorded ? await sha256File(path).catch(() => undefined) : undefined;
  if (recorded && actual === recorded) {
    ctx.log.emit({ kind: 'message', level: 'info', text: `k3s ${version} for ${arch}: cached at ${path}` });
    return { path, sha256: actual };
  }
  const url = k3sReleaseUrl(version, asset, process.env.KBOOTSTRAP_K3S_RELEASE_URL);
  ctx.log.emit({ kind: 'message', level: 'info', text: `k3s ${version} for ${arch}: would download ${url} (and its checksum file) into ${dir}` });
  return undefined;
}
