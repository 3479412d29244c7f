/**
 * Registry answers kept on the workstation: `<cacheDir>/image-platforms.json`, keyed by the image
 * reference (and the base URL when a mirror answered). An answer for a digest never changes and is
 * kept for good; one for a tag is kept for a TTL, since tags move. Errors are never cached.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlatformAnswer } from './registry-client.js';

export const IMAGE_CACHE_FILE = 'image-platforms.json';
/** How long an answer for a tag is trusted. */
export const DEFAULT_TAG_TTL_MS = 24 * 60 * 60 * 1000;

interface CacheEntry {
  /** Epoch milliseconds of the registry's answer. */
  at: number;
  /** True when the reference held a digest: the answer is kept for good. */
  pinned: boolean;
  answer: PlatformAnswer;
}

interface CacheFile {
  version: 1;
  entries: Record<string, CacheEntry>;
}

export interface ImageCache {
  get(key: string): PlatformAnswer | undefined;
  /** The answer whatever its age (a stale tag answer, to revalidate by digest). */
  peek(key: string): PlatformAnswer | undefined;
  set(key: string, answer: PlatformAnswer, pinned: boolean): void;
  /** Writes the file if anything was added (atomically; a concurrent run's additions are merged). */
  save(): Promise<void>;
}

/** Loads the cache file; an unreadable or foreign file counts as empty and is replaced on save. */
export async function openImageCache(dir: string, opts: { ttlMs?: number; now?: () => number } = {}): Promise<ImageCache> {
  const ttlMs = opts.ttlMs ?? DEFAULT_TAG_TTL_MS;
  const now = opts.now ?? Date.now;
  const path = join(dir, IMAGE_CACHE_FILE);
  const entries = await readEntries(path);
  const added: Record<string, CacheEntry> = {};

  return {
    get(key) {
      const entry = entries[key];
      if (!entry) return undefined;
      if (!entry.pinned && now() - entry.at > ttlMs) return undefined;
      if (entry.at > now() + 60_000) return undefined; // from the future: the clock moved, ask again
      return entry.answer;
    },
    peek(key) {
      return entries[key]?.answer;
    },
    set(key, answer, pinned) {
      const entry = { at: now(), pinned, answer };
      entries[key] = entry;
      added[key] = entry;
    },
    async save() {
      if (Object.keys(added).length === 0) return;
      await mkdir(dir, { recursive: true });
      const merged = { ...(await readEntries(path)), ...added };
      // Drop tag answers long past their TTL so the file does not grow for ever.
      for (const [key, entry] of Object.entries(merged)) {
        if (!entry.pinned && now() - entry.at > 7 * ttlMs) delete merged[key];
      }
      const file: CacheFile = { version: 1, entries: merged };
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify(file, null, 1) + '\n', { mode: 0o644 });
        await rename(tmp, path);
      } finally {
        await rm(tmp, { force: true });
      }
    },
  };
}

async function readEntries(path: string): Promise<Record<string, CacheEntry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const doc = JSON.parse(text) as Partial<CacheFile>;
    if (doc.version !== 1 || typeof doc.entries !== 'object' || doc.entries === null) return {};
    const out: Record<string, CacheEntry> = {};
    for (const [key, entry] of Object.entries(doc.entries)) {
      if (isEntry(entry)) out[key] = entry;
    }
    return out;
  } catch {
    return {};
  }
}

function isEntry(v: unknown): v is CacheEntry {
  const e = v as Partial<CacheEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.at === 'number' &&
    typeof e.pinned === 'boolean' &&
    typeof e.answer === 'object' &&
    e.answer !== null &&
    (e.answer.kind === 'index' || e.answer.kind === 'manifest') &&
    typeof e.answer.digest === 'string' &&
    Array.isArray(e.answer.platforms) &&
    e.answer.platforms.every((p) => typeof p?.os === 'string' && typeof p.architecture === 'string')
  );
}
