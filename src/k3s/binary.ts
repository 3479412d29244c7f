import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors.js';
import { expandHome } from '../inventory/paths.js';
import {
  K3S_CHANNEL_BASE_URL,
  K3S_RELEASE_BASE_URL,
  isK3sVersion,
  k3sArchOf,
  k3sAssetName,
  k3sChecksumFileName,
  k3sReleaseUrl,
  parseChecksumFile,
  versionFromChannelLocation,
} from './release.js';

export interface EnsureK3sBinaryOptions {
  cacheDir: string;
  baseUrl?: string;
  channelBaseUrl?: string;
  fetch?: typeof fetch;
}

export interface K3sBinary {
  /** Absolute path of the verified binary in the cache. */
  path: string;
  sha256: string;
  /** The release version (a channel name resolved). */
  version: string;
}

/** $XDG_CACHE_HOME/kbootstrap, else ~/.cache/kbootstrap. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'kbootstrap') : join(homedir(), '.cache', 'kbootstrap');
}

const channelCache = new Map<string, Promise<string>>();

/**
 * `stable`, `latest`, `v1.31` → a release version, once per process: update.k3s.io answers a channel
 * with a redirect whose Location ends in the version. A pinned version is returned as it is.
 */
export function resolveK3sVersion(versionOrChannel: string, opts: { channelBaseUrl?: string; fetch?: typeof fetch } = {}): Promise<string> {
  if (isK3sVersion(versionOrChannel)) return Promise.resolve(versionOrChannel);
  const url = `${(opts.channelBaseUrl ?? K3S_CHANNEL_BASE_URL).replace(/\/+$/, '')}/${encodeURIComponent(versionOrChannel)}`;
  let pending = channelCache.get(url);
  if (!pending) {
    pending = fetchChannel(url, versionOrChannel, opts.fetch ?? fetch);
    channelCache.set(url, pending);
    pending.catch(() => channelCache.delete(url));
  }
  return pending;
}

async function fetchChannel(url: string, channel: string, fetchImpl: typeof fetch): Promise<string> {
  const res = await request(fetchImpl, url, { redirect: 'manual' });
  const location = res.headers.get('location');
  const version = res.status >= 300 && res.status < 400 && location ? versionFromChannelLocation(location) : undefined;
  if (!version) {
    throw new UserError(`could not resolve the k3s channel "${channel}" through ${url} (HTTP ${res.status})`, {
      hint: 'pin k3s.version to a release like v1.31.4+k3s1, or check the channel name (stable, latest, v1.31)',
    });
  }
  return version;
}

/**
 * Downloads the k3s binary for an architecture once into `<cacheDir>/<version>/<asset>`, verified
 * against the release's sha256sum-<arch>.txt; later calls reuse the cached file without network.
 */
export async function ensureK3sBinary(versionOrChannel: string, arch: string, opts: EnsureK3sBinaryOptions): Promise<K3sBinary> {
  const fetchImpl = opts.fetch ?? fetch;
  const version = await resolveK3sVersion(versionOrChannel, { channelBaseUrl: opts.channelBaseUrl, fetch: fetchImpl });
  const k3sArch = k3sArchOf(arch);
  const asset = k3sAssetName(k3sArch);
  const path = join(resolve(expandHome(opts.cacheDir)), version, asset);
  const sumPath = `${path}.sha256`;

  const cached = await cachedSha256(path, sumPath);
  if (cached) return { path, sha256: cached, version };

  const baseUrl = opts.baseUrl ?? K3S_RELEASE_BASE_URL;
  const sumsUrl = k3sReleaseUrl(version, k3sChecksumFileName(k3sArch), baseUrl);
  const sums = await (await request(fetchImpl, sumsUrl)).text();
  const expected = parseChecksumFile(sums, asset);
  if (!expected) throw new UserError(`${sumsUrl} lists no checksum for ${asset}`, { hint: 'check k3s.version and the architecture' });

  const url = k3sReleaseUrl(version, asset, baseUrl);
  await ensureVerifiedDownload({ url, path, sha256: expected, fetch: fetchImpl, mode: 0o755, checksumSource: `the release's ${k3sChecksumFileName(k3sArch)}` });
  return { path, sha256: expected, version };
}

export interface VerifiedDownloadOptions {
  url: string;
  /** Where the verified file is cached; `<path>.sha256` records its sum. */
  path: string;
  sha256: string;
  fetch?: typeof fetch;
  mode?: number;
  /** Where the expected sum comes from, for the mismatch message. */
  checksumSource: string;
}

/**
 * Downloads `url` once into `path`, kept only when its sha256 is the expected one; later calls find
 * the cached file (re-hashed against the recorded sum) and use no network. Shared by the k3s binary
 * and the addons' release files.
 */
export async function ensureVerifiedDownload(opts: VerifiedDownloadOptions): Promise<{ path: string; sha256: string }> {
  const { path, url } = opts;
  const sumPath = `${path}.sha256`;
  const cached = await cachedSha256(path, sumPath);
  if (cached === opts.sha256) return { path, sha256: cached };
  const dir = dirname(path);
  const name = path.slice(dir.length + 1);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.part`);
  try {
    const actual = await downloadTo(opts.fetch ?? fetch, url, tmp, opts.mode ?? 0o644);
    if (actual !== opts.sha256) {
      throw new UserError(`the download of ${url} has sha256 ${actual}, but ${opts.checksumSource} says ${opts.sha256}`, {
        hint: 'the file was not kept; try again, and if it repeats check the proxy or mirror in between',
      });
    }
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  await writeFile(sumPath, `${opts.sha256}  ${name}\n`);
  return { path, sha256: opts.sha256 };
}

/**
 * The cached file's sha256 if it still matches the sum recorded when it was verified. Hashing a k3s
 * binary (~70 MB) costs more than a whole no-op re-run, so it is re-hashed only when its size, mtime or
 * inode differ from those recorded after the last hash (`<path>.verified`); a file found changed, or
 * not matching its sum, is dropped with its sum. The node-side check after each upload stays.
 */
async function cachedSha256(path: string, sumPath: string): Promise<string | undefined> {
  const recorded = await readFile(sumPath, 'utf8').then((t) => t.split(/\s+/)[0], () => undefined);
  if (!recorded) return undefined;
  const verifiedPath = `${path}.verified`;
  const seen = await stat(path).then(statKey, () => undefined);
  if (seen && (await readFile(verifiedPath, 'utf8').catch(() => undefined))?.trim() === `${recorded} ${seen}`) return recorded;
  const actual = await sha256File(path).catch(() => undefined);
  if (actual === recorded) {
    await writeFile(verifiedPath, `${recorded} ${seen}\n`).catch(() => undefined);
    return actual;
  }
  await rm(path, { force: true });
  await rm(sumPath, { force: true });
  await rm(verifiedPath, { force: true });
  return undefined;
}

const statKey = (s: Stats) => `${s.size} ${s.mtimeMs} ${s.ino}`;

async function request(fetchImpl: typeof fetch, url: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetchImpl(url, init);
  } catch (err) {
    throw new UserError(`could not reach ${url}: ${(err as Error).message}`, {
      cause: err,
      hint: 'without internet access on this machine, use k3s.binary.source: node (nodes download) or airgap (local files)',
    });
  }
  if (init?.redirect === 'manual') return res;
  if (!res.ok) {
    throw new UserError(`download of ${url} failed: HTTP ${res.status}`, {
      hint: res.status === 404 ? 'no such k3s release or asset: check k3s.version (like v1.31.4+k3s1)' : undefined,
    });
  }
  return res;
}

async function downloadTo(fetchImpl: typeof fetch, url: string, path: string, mode: number): Promise<string> {
  const res = await request(fetchImpl, url);
  if (!res.body) throw new UserError(`download of ${url} returned no body`);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as unknown as NodeReadableStream), hashing, createWriteStream(path, { mode }));
  return hash.digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export interface AirgapFiles {
  binary: { path: string; sha256: string };
  images?: { path: string; sha256: string };
}

/** binary.source airgap: the local binary (and images tarball) must exist; their sha256 sums for the upload check. */
export async function verifyAirgapFiles(opts: { path?: string; images?: string; baseDir?: string }): Promise<AirgapFiles> {
  if (!opts.path) throw new UserError('k3s.binary.source is airgap but k3s.binary.path is not set', { hint: 'set k3s.binary.path to a downloaded k3s binary' });
  const binary = await localFile(opts.path, opts.baseDir, 'k3s.binary.path');
  const images = opts.images ? await localFile(opts.images, opts.baseDir, 'k3s.binary.images') : undefined;
  return { binary, images };
}

async function localFile(given: string, baseDir: string | undefined, key: string): Promise<{ path: string; sha256: string }> {
  const expanded = expandHome(given);
  const path = isAbsolute(expanded) ? expanded : resolve(baseDir ?? process.cwd(), expanded);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new UserError(`${key} ${path} does not exist or is not a file`, { hint: `download it on a machine with internet access and copy it to ${dirname(path)}` });
  return { path, sha256: await sha256File(path) };
}
