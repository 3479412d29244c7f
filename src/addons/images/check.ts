/**
 * The arm64 (and any other) image check: before anything is applied, ask each image's registry which
 * platforms it has and report, per image, the platforms and what is missing for the cluster's node
 * architectures, naming the inventory key that overrides the image. Answers are cached on the
 * workstation; `offline` skips the check with a warning.
 */
import { UserError } from '../../errors.js';
import { defaultCacheDir } from '../../k3s/binary.js';
import { expandHome } from '../../inventory/paths.js';
import type { AddonImage } from '../types.js';
import { openImageCache, type ImageCache } from './cache.js';
import { formatImageRef, ImageRefError, parseImageRef, type ImageRef } from './reference.js';
import { normaliseArchitecture, platformMatches, platformString, type Platform } from './platforms.js';
import { RegistryClient, RegistryError, type PlatformAnswer, type RegistryErrorCode } from './registry-client.js';

export interface CheckImagesOptions {
  /** Skip every registry: the report says so with a warning and has no problems. */
  offline?: boolean;
  /** Where answers are cached. Default: the workstation cache dir (~/.cache/kbootstrap). */
  cacheDir?: string;
  /** Do not read or write the cache (every image is asked again). */
  noCache?: boolean;
  /** How long a tag's answer is trusted. Default 24 h; a digest's answer is kept for good. */
  tagTtlMs?: number;
  /** Registries asked at once. Default 4. */
  concurrency?: number;
  /** Per HTTP request. Default 15 s. */
  timeoutMs?: number;
  /** Registry (`docker.io`, `quay.io`, or an API host) → base URL to ask instead, e.g. a loopback registry. */
  mirrors?: Record<string, string>;
  fetch?: typeof fetch;
  now?: () => number;
}

export type ImageProblemKind = 'missing-architecture' | 'invalid-reference' | RegistryErrorCode;

export interface ImageProblem {
  kind: ImageProblemKind;
  ref: string;
  component: string;
  overrideKey: string;
  /** For `missing-architecture`: the node architecture the image lacks. */
  architecture?: string;
  message: string;
}

export interface ImageResult {
  ref: string;
  component: string;
  overrideKey: string;
  /** The fully qualified reference asked for (`docker.io/library/nginx:1.27`); absent when it did not parse. */
  image?: string;
  /** What the registry answered: an index/list or a single manifest, and its digest. */
  manifest?: { kind: PlatformAnswer['kind']; mediaType: string; digest: string };
  platforms: Platform[];
  /** Node architecture → whether the image has it; an architecture is absent when the registry could not say. */
  supports: Record<string, boolean>;
  fromCache: boolean;
  problems: ImageProblem[];
}

export interface ImageCheckReport {
  /** The node architectures checked for, as given. */
  architectures: string[];
  /** True under `offline`: nothing was asked. */
  skipped: boolean;
  warnings: string[];
  images: ImageResult[];
  /** Every image's problems, in image order. */
  problems: ImageProblem[];
  ok: boolean;
}

export async function checkImages(images: AddonImage[], architectures: string[], opts: CheckImagesOptions = {}): Promise<ImageCheckReport> {
  const archs = [...new Set(architectures.map(normaliseArchitecture))];
  if (opts.offline) {
    return {
      architectures: archs,
      skipped: true,
      warnings: [
        `offline: the image check was skipped; ${images.length} image(s) were not checked for ${archs.join(', ') || 'any architecture'} and may fail to pull on the nodes`,
      ],
      images: [],
      problems: [],
      ok: true,
    };
  }

  const client = new RegistryClient({ fetch: opts.fetch, mirrors: opts.mirrors, timeoutMs: opts.timeoutMs });
  const cache = opts.noCache ? undefined : await openImageCache(expandHome(opts.cacheDir ?? defaultCacheDir()), { ttlMs: opts.tagTtlMs, now: opts.now });
  const pending = new Map<string, Promise<{ answer: PlatformAnswer; fromCache: boolean }>>();
  const ask = (ref: ImageRef): Promise<{ answer: PlatformAnswer; fromCache: boolean }> => {
    const key = cacheKey(ref, client);
    let p = pending.get(key);
    if (!p) {
      p = askOnce(ref, key, client, cache);
      pending.set(key, p);
    }
    return p;
  };

  const results = await mapLimit(images, Math.max(1, opts.concurrency ?? 4), (image) => checkOne(image, archs, ask));
  if (cache) await cache.save().catch(() => undefined); // a cache that cannot be written only costs time
  const problems = results.flatMap((r) => r.problems);
  return { architectures: archs, skipped: false, warnings: [], images: results, problems, ok: problems.length === 0 };
}

async function askOnce(ref: ImageRef, key: string, client: RegistryClient, cache: ImageCache | undefined): Promise<{ answer: PlatformAnswer; fromCache: boolean }> {
  const hit = cache?.get(key);
  if (hit) return { answer: hit, fromCache: true };
  // A tag past its TTL: if it still points at the same manifest (a HEAD, not a pull), the answer stands.
  const stale = cache?.peek(key);
  if (stale && ref.digest === undefined && (await client.manifestDigest(ref)) === stale.digest) {
    cache?.set(key, stale, false);
    return { answer: stale, fromCache: true };
  }
  const answer = await client.platforms(ref);
  cache?.set(key, answer, ref.digest !== undefined);
  return { answer, fromCache: false };
}

async function checkOne(
  image: AddonImage,
  archs: string[],
  ask: (ref: ImageRef) => Promise<{ answer: PlatformAnswer; fromCache: boolean }>,
): Promise<ImageResult> {
  const base = { ref: image.ref, component: image.component, overrideKey: image.overrideKey };
  const problem = (kind: ImageProblemKind, message: string, architecture?: string): ImageProblem => ({
    kind,
    ...base,
    ...(architecture !== undefined ? { architecture } : {}),
    message,
  });
  let ref: ImageRef;
  try {
    ref = parseImageRef(image.ref);
  } catch (err) {
    if (!(err instanceof ImageRefError)) throw err;
    return { ...base, platforms: [], supports: {}, fromCache: false, problems: [problem('invalid-reference', `${image.component}: ${err.message} (set ${image.overrideKey})`)] };
  }
  const full = formatImageRef(ref);
  try {
    const { answer, fromCache } = await ask(ref);
    const supports: Record<string, boolean> = {};
    const problems: ImageProblem[] = [];
    for (const arch of archs) {
      supports[arch] = answer.platforms.some((p) => platformMatches(p, arch));
      if (!supports[arch]) {
        const has = answer.platforms.map(platformString).join(', ') || 'no platform';
        problems.push(
          problem(
            'missing-architecture',
            `${image.component} image ${image.ref} has no linux/${arch} build (it has ${has}); set ${image.overrideKey} in the inventory to an image built for ${arch}`,
            arch,
          ),
        );
      }
    }
    return {
      ...base,
      image: full,
      manifest: { kind: answer.kind, mediaType: answer.mediaType, digest: answer.digest },
      platforms: answer.platforms,
      supports,
      fromCache,
      problems,
    };
  } catch (err) {
    if (!(err instanceof RegistryError)) throw err;
    return { ...base, image: full, platforms: [], supports: {}, fromCache: false, problems: [problem(err.code, `${image.component} image ${image.ref}: ${err.detail}`)] };
  }
}

/** The refusal to throw when the report has problems: every problem on its own line, the override keys in the hint. */
export function imageCheckError(report: ImageCheckReport): UserError | undefined {
  if (report.ok) return undefined;
  const keys = [...new Set(report.problems.map((p) => p.overrideKey))];
  return new UserError(
    `the image check found ${report.problems.length} problem(s):\n${report.problems.map((p) => `- ${p.message}`).join('\n')}`,
    { hint: `override the image(s) in the inventory (${keys.join(', ')}), or run with --offline to skip the check` },
  );
}

function cacheKey(ref: ImageRef, client: RegistryClient): string {
  const base = client.baseUrl(ref);
  const canonical = formatImageRef(ref);
  return base === `https://${ref.apiHost}` ? canonical : `${canonical} via ${base}`;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
