import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TAG_TTL_MS, IMAGE_CACHE_FILE, openImageCache } from '../../../src/addons/images/cache.js';
import type { PlatformAnswer } from '../../../src/addons/images/registry-client.js';

const ANSWER: PlatformAnswer = {
  kind: 'index',
  mediaType: 'application/vnd.oci.image.index.v1+json',
  digest: 'sha256:' + '1'.repeat(64),
  platforms: [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
  ],
};
const HOUR = 3_600_000;

describe('openImageCache', () => {
  let dir: string;
  let clock: number;
  const now = () => clock;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'kb-imgcache-')), 'nested', 'kbootstrap');
    clock = Date.UTC(2026, 11, 3, 9, 0, 0);
  });
  afterEach(() => rmSync(join(dir, '..', '..'), { recursive: true, force: true }));

  it('keeps a tag answer for the TTL and a digest answer for good, across processes', async () => {
    const first = await openImageCache(dir, { now });
    first.set('docker.io/library/nginx:1.27', ANSWER, false);
    first.set('quay.io/a/b@sha256:' + 'f'.repeat(64), ANSWER, true);
    await first.save();

    clock += DEFAULT_TAG_TTL_MS - HOUR;
    const fresh = await openImageCache(dir, { now });
    expect(fresh.get('docker.io/library/nginx:1.27')).toEqual(ANSWER);

    clock += 2 * HOUR;
    const later = await openImageCache(dir, { now });
    expect(later.get('docker.io/library/nginx:1.27')).toBeUndefined();
    expect(later.get('quay.io/a/b@sha256:' + 'f'.repeat(64))).toEqual(ANSWER);
    expect(later.get('never/asked:1')).toBeUndefined();
  });

  it('honours a custom TTL, and still shows a stale answer to peek (for revalidation)', async () => {
    const c = await openImageCache(dir, { now, ttlMs: 1000 });
    c.set('a:1', ANSWER, false);
    clock += 1001;
    expect(c.get('a:1')).toBeUndefined();
    expect(c.peek('a:1')).toEqual(ANSWER);
    expect(c.peek('b:1')).toBeUndefined();
  });

  it('merges what a concurrent run saved in between', async () => {
    const a = await openImageCache(dir, { now });
    const b = await openImageCache(dir, { now });
    a.set('a:1', ANSWER, false);
    b.set('b:1', ANSWER, false);
    await a.save();
    await b.save();
    const c = await openImageCache(dir, { now });
    expect(c.get('a:1')).toEqual(ANSWER);
    expect(c.get('b:1')).toEqual(ANSWER);
  });

  it('treats a corrupt or foreign file as empty and replaces it', async () => {
    const c0 = await openImageCache(dir, { now });
    c0.set('seed:1', ANSWER, false);
    await c0.save();
    const path = join(dir, IMAGE_CACHE_FILE);
    writeFileSync(path, '{ not json');
    const c1 = await openImageCache(dir, { now });
    expect(c1.get('seed:1')).toBeUndefined();
    c1.set('x:1', ANSWER, false);
    await c1.save();
    expect(JSON.parse(readFileSync(path, 'utf8')).entries['x:1'].answer).toEqual(ANSWER);

    writeFileSync(path, JSON.stringify({ version: 1, entries: { 'bad:1': { at: clock, pinned: false, answer: { kind: 'index', digest: 'x', platforms: [{}] } } } }));
    expect((await openImageCache(dir, { now })).get('bad:1')).toBeUndefined();
  });

  it('does not trust an answer from the future, and writes nothing when nothing was added', async () => {
    const c = await openImageCache(dir, { now });
    c.set('t:1', ANSWER, false);
    await c.save();
    clock -= 2 * HOUR;
    expect((await openImageCache(dir, { now })).get('t:1')).toBeUndefined();

    const untouched = join(dir, '..', 'untouched');
    await (await openImageCache(untouched, { now })).save();
    expect(existsSync(untouched)).toBe(false);
  });
});
