import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { ensureK3sBinary, resolveK3sVersion, verifyAirgapFiles } from '../../src/k3s/binary.js';
import { startFakeRelease, type FakeRelease } from './release-server.js';

const VERSION = 'v1.31.4+k3s1';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('ensureK3sBinary against a release layout on 127.0.0.1', () => {
  let release: FakeRelease;
  let cacheDir: string;
  beforeEach(async () => {
    release = await startFakeRelease(VERSION, { stable: VERSION, 'v1.31': VERSION });
    cacheDir = mkdtempSync(join(tmpdir(), 'kb-cache-'));
  });
  afterEach(() => release.close());

  it('downloads, verifies and caches the arm64 binary under <cache>/<version>/<asset>', async () => {
    const got = await ensureK3sBinary(VERSION, 'aarch64', { cacheDir, baseUrl: release.baseUrl });
    expect(got.path).toBe(join(cacheDir, VERSION, 'k3s-arm64'));
    expect(got.sha256).toBe(sha(release.binaries['k3s-arm64']!));
    expect(got.version).toBe(VERSION);
    expect(readFileSync(got.path).equals(release.binaries['k3s-arm64']!)).toBe(true);
    expect(statSync(got.path).mode & 0o777).toBe(0o755);
    expect(release.requests).toEqual(['/download/v1.31.4%2Bk3s1/sha256sum-arm64.txt', '/download/v1.31.4%2Bk3s1/k3s-arm64']);
    expect(readdirSync(join(cacheDir, VERSION)).sort()).toEqual(['k3s-arm64', 'k3s-arm64.sha256']);
  });

  it('reuses the cached file on the second call without any request', async () => {
    await ensureK3sBinary(VERSION, 'arm64', { cacheDir, baseUrl: release.baseUrl });
    const before = release.requests.length;
    const again = await ensureK3sBinary(VERSION, 'arm64', { cacheDir, baseUrl: release.baseUrl });
    expect(release.requests.length).toBe(before);
    expect(again.sha256).toBe(sha(release.binaries['k3s-arm64']!));
  });

  it('downloads again when the cached file was corrupted', async () => {
    const first = await ensureK3sBinary(VERSION, 'amd64', { cacheDir, baseUrl: release.baseUrl });
    writeFileSync(first.path, 'tampered');
    const again = await ensureK3sBinary(VERSION, 'amd64', { cacheDir, baseUrl: release.baseUrl });
    expect(readFileSync(again.path).equals(release.binaries.k3s!)).toBe(true);
    expect(release.requests.filter((r) => r.endsWith('/k3s'))).toHaveLength(2);
  });

  it('hashes a cached file once, then trusts it while its size, mtime and inode stay; a changed one is hashed again', async () => {
    const first = await ensureK3sBinary(VERSION, 'amd64', { cacheDir, baseUrl: release.baseUrl });
    expect(existsSync(`${first.path}.verified`)).toBe(false);
    await ensureK3sBinary(VERSION, 'amd64', { cacheDir, baseUrl: release.baseUrl });
    const s = statSync(first.path);
    expect(readFileSync(`${first.path}.verified`, 'utf8')).toBe(`${first.sha256} ${s.size} ${s.mtimeMs} ${s.ino}\n`);
    // Appended bytes: another size, so the file is hashed again, found wrong and fetched anew.
    appendFileSync(first.path, 'x');
    const again = await ensureK3sBinary(VERSION, 'amd64', { cacheDir, baseUrl: release.baseUrl });
    expect(readFileSync(again.path).equals(release.binaries.k3s!)).toBe(true);
    expect(release.requests.filter((r) => r.endsWith('/k3s'))).toHaveLength(2);
  });

  it('refuses a checksum mismatch, naming the URL and both hashes, and keeps no file', async () => {
    release.lieAboutHash = 'f'.repeat(64);
    const error = await ensureK3sBinary(VERSION, 'armv7l', { cacheDir, baseUrl: release.baseUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toContain(`${release.baseUrl}/v1.31.4%2Bk3s1/k3s-armhf`);
    expect(message).toContain('f'.repeat(64));
    expect(message).toContain(sha(release.binaries['k3s-armhf']!));
    expect(existsSync(join(cacheDir, VERSION)) ? readdirSync(join(cacheDir, VERSION)) : []).toEqual([]);
  });

  it('turns a 404 into a clear error about the version', async () => {
    const error = (await ensureK3sBinary('v1.99.0+k3s1', 'arm64', { cacheDir, baseUrl: release.baseUrl }).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`download of ${release.baseUrl}/v1.99.0%2Bk3s1/sha256sum-arm64.txt failed: HTTP 404`);
    expect(error.hint).toContain('check k3s.version');
  });

  it('says what to do when the network is unreachable', async () => {
    const error = (await ensureK3sBinary(VERSION, 'arm64', { cacheDir, baseUrl: 'http://127.0.0.1:1/download' }).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('could not reach http://127.0.0.1:1/download/v1.31.4%2Bk3s1/sha256sum-arm64.txt');
    expect(error.hint).toContain('airgap');
  });

  it('resolves a channel once through its redirect, then downloads that version', async () => {
    const got = await ensureK3sBinary('v1.31', 'arm64', { cacheDir, baseUrl: release.baseUrl, channelBaseUrl: release.channelBaseUrl });
    expect(got.version).toBe(VERSION);
    expect(await resolveK3sVersion('v1.31', { channelBaseUrl: release.channelBaseUrl })).toBe(VERSION);
    expect(release.requests.filter((r) => r.startsWith('/v1-release'))).toEqual(['/v1-release/channels/v1.31']);
  });

  it('reports an unknown channel', async () => {
    await expect(resolveK3sVersion('nosuch', { channelBaseUrl: release.channelBaseUrl })).rejects.toThrow(/could not resolve the k3s channel "nosuch".*HTTP 404/);
  });
});

describe('verifyAirgapFiles', () => {
  it('hashes the local binary and images, relative to the inventory dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-airgap-'));
    writeFileSync(join(dir, 'k3s'), 'binary');
    writeFileSync(join(dir, 'images.tar.zst'), 'images');
    const files = await verifyAirgapFiles({ path: 'k3s', images: 'images.tar.zst', baseDir: dir });
    expect(files.binary).toEqual({ path: join(dir, 'k3s'), sha256: sha(Buffer.from('binary')) });
    expect(files.images?.sha256).toBe(sha(Buffer.from('images')));
  });

  it('names the missing file', async () => {
    await expect(verifyAirgapFiles({ path: '/nonexistent/k3s' })).rejects.toThrow('k3s.binary.path /nonexistent/k3s does not exist or is not a file');
    await expect(verifyAirgapFiles({})).rejects.toThrow(/k3s.binary.path is not set/);
  });
});
