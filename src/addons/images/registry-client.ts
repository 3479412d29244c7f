/**
 * Which platforms an image has, asked of its registry over the Distribution (OCI) HTTP API with
 * Node's fetch: `GET /v2/<repo>/manifests/<tag|digest>` accepting indexes, manifest lists and single
 * manifests; for a single manifest its config blob names os/architecture. Anonymous bearer tokens are
 * fetched when the registry challenges (`WWW-Authenticate: Bearer realm,service,scope`).
 */
import { createHash } from 'node:crypto';
import { parseWwwAuthenticate, pullScope, tokenUrl } from './challenge.js';
import {
  CONFIG_TYPES,
  INDEX_TYPES,
  MANIFEST_ACCEPT,
  MANIFEST_TYPES,
  V1_TYPES,
} from './media-types.js';
import { indexPlatforms, platformOf, type Platform } from './platforms.js';
import { RegistryError } from './registry-error.js';
import { formatImageRef, manifestReference, type ImageRef } from './reference.js';

export interface PlatformAnswer {
  /** `index` for an OCI image index or Docker manifest list, `manifest` for a single image. */
  kind: 'index' | 'manifest';
  mediaType: string;
  /** Digest of the manifest the registry answered with. */
  digest: string;
  platforms: Platform[];
}

export type { Platform } from './platforms.js';

export { RegistryError, type RegistryErrorCode } from './registry-error.js';

export interface RegistryClientOptions {
  fetch?: typeof fetch;
  /**
   * Registry → base URL to ask instead of `https://<api host>`, keyed by the registry as images name
   * it (`docker.io`, `quay.io`) or by its API host. For tests (a loopback registry) and mirrors.
   */
  mirrors?: Record<string, string>;
  /** Per HTTP request. Default 15 s. */
  timeoutMs?: number;
}

const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

export class RegistryClient {
  private readonly fetchImpl: typeof fetch;
  private readonly mirrors: Record<string, string>;
  private readonly timeoutMs: number;
  /** Bearer tokens by base URL + repository, reused for the config blob and later images. */
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(opts: RegistryClientOptions = {}) {
    this.fetchImpl = opts.fetch ?? fetch;
    this.mirrors = opts.mirrors ?? {};
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** The base URL the registry of `ref` is asked on. */
  baseUrl(ref: ImageRef): string {
    const mirror = this.mirrors[ref.registry] ?? this.mirrors[ref.apiHost];
    return (mirror ?? `https://${ref.apiHost}`).replace(/\/+$/, '');
  }

  async platforms(ref: ImageRef): Promise<PlatformAnswer> {
    const name = formatImageRef(ref);
    const res = await this.get(ref, `manifests/${manifestReference(ref)}`, MANIFEST_ACCEPT);
    const body = await readBody(res, name);
    const digest = res.headers.get('docker-content-digest') ?? `sha256:${sha256(body)}`;
    if (ref.digest?.startsWith('sha256:') && sha256(body) !== ref.digest.slice('sha256:'.length)) {
      throw new RegistryError('bad-answer', `${name}: the registry answered with a manifest whose sha256 is not the digest asked for`);
    }
    const doc = parseJson(body, `${name}: the manifest`);
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const mediaType = INDEX_TYPES.includes(contentType) || MANIFEST_TYPES.includes(contentType) || V1_TYPES.includes(contentType)
      ? contentType
      : typeof doc.mediaType === 'string' ? doc.mediaType : inferMediaType(doc);

    if (V1_TYPES.includes(mediaType) || doc.schemaVersion === 1) {
      throw new RegistryError(
        'unsupported',
        `${name}: the registry answered with a Docker schema 1 manifest, which has no platform list kbootstrap can read; use an image pushed as Docker schema 2 or OCI`,
      );
    }
    if (INDEX_TYPES.includes(mediaType)) {
      return { kind: 'index', mediaType, digest, platforms: indexPlatforms(doc, name) };
    }
    if (MANIFEST_TYPES.includes(mediaType)) {
      return { kind: 'manifest', mediaType, digest, platforms: [await this.configPlatform(ref, doc, name)] };
    }
    throw new RegistryError('unsupported', `${name}: the registry answered with "${mediaType || 'no media type'}", not an image index, manifest list or image manifest`);
  }

  private async configPlatform(ref: ImageRef, manifest: Record<string, unknown>, name: string): Promise<Platform> {
    const config = manifest.config as { mediaType?: unknown; digest?: unknown } | undefined;
    if (!config || typeof config.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(config.digest)) {
      throw new RegistryError('bad-answer', `${name}: the manifest has no config digest`);
    }
    if (typeof config.mediaType === 'string' && !CONFIG_TYPES.includes(config.mediaType)) {
      throw new RegistryError('unsupported', `${name}: not a container image (its config is "${config.mediaType}")`);
    }
    const res = await this.get(ref, `blobs/${config.digest}`, '*/*');
    const body = await readBody(res, name);
    if (`sha256:${sha256(body)}` !== config.digest) {
      throw new RegistryError('bad-answer', `${name}: the config blob's sha256 is not the digest the manifest names`);
    }
    const doc = parseJson(body, `${name}: the config blob`);
    if (typeof doc.os !== 'string' || typeof doc.architecture !== 'string') {
      throw new RegistryError('bad-answer', `${name}: the config blob names no os/architecture`);
    }
    return platformOf(doc.os, doc.architecture, doc.variant);
  }

  /**
   * The digest a tag points at now, from a HEAD (which Docker Hub does not count as a pull), or
   * undefined when the registry does not say. Lets a cached answer be revalidated cheaply.
   */
  async manifestDigest(ref: ImageRef): Promise<string | undefined> {
    const res = await this.get(ref, `manifests/${manifestReference(ref)}`, MANIFEST_ACCEPT, 'HEAD');
    await res.body?.cancel();
    const digest = res.headers.get('docker-content-digest') ?? undefined;
    return digest && /^sha256:[a-f0-9]{64}$/.test(digest) ? digest : undefined;
  }

  /** One GET (or HEAD) under /v2/<repository>/, through the bearer-token flow when the registry asks for it. */
  private async get(ref: ImageRef, path: string, accept: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Response> {
    const name = formatImageRef(ref);
    const base = this.baseUrl(ref);
    const url = `${base}/v2/${ref.repository}/${path}`;
    const tokenKey = `${base}|${ref.repository}`;
    const cached = this.tokens.get(tokenKey);
    let token = cached ? await cached.catch(() => undefined) : undefined;

    let res = await this.send(method, url, accept, token, name, base);
    if (res.status === 401) {
      const challenge = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
      const bearer = challenge.find((c) => c.scheme === 'bearer');
      await res.body?.cancel();
      if (!bearer) {
        const schemes = challenge.map((c) => c.scheme).join(', ') || 'none';
        throw new RegistryError('unauthorized', `${name}: ${base} asks for credentials (${schemes}); kbootstrap reads public images only`, 401);
      }
      if (bearer.params.error === 'insufficient_scope' && token !== undefined) {
        throw new RegistryError('unauthorized', `${name}: the repository does not exist or is not public (${base} refused an anonymous pull)`, 401);
      }
      const pending = this.fetchToken(bearer, ref, name);
      this.tokens.set(tokenKey, pending);
      token = await pending;
      res = await this.send(method, url, accept, token, name, base);
      if (res.status === 401) {
        await res.body?.cancel();
        throw new RegistryError('unauthorized', `${name}: the repository does not exist or is not public (${base} refused an anonymous pull)`, 401);
      }
    }
    if (res.ok) return res;
    const detail = await errorDetail(res);
    if (res.status === 404) {
      const what = path.startsWith('blobs/')
        ? `the config blob ${path.slice('blobs/'.length)} is missing`
        : detail.codes.includes('NAME_UNKNOWN')
          ? `repository ${ref.repository} not found`
          : ref.digest
            ? `digest ${ref.digest} not found in repository ${ref.repository}`
            : `tag "${ref.tag}" not found in repository ${ref.repository}`;
      throw new RegistryError('not-found', `${name}: ${what} on ${base}`, 404);
    }
    if (res.status === 403) throw new RegistryError('denied', `${name}: ${base} denied access (HTTP 403${detail.text ? `: ${detail.text}` : ''})`, 403);
    if (res.status === 429) throw new RegistryError('denied', `${name}: ${base} is rate-limiting (HTTP 429); try again later`, 429);
    throw new RegistryError('bad-answer', `${name}: ${base} answered HTTP ${res.status}${detail.text ? `: ${detail.text}` : ''}`, res.status);
  }

  private async send(method: 'GET' | 'HEAD', url: string, accept: string, token: string | undefined, name: string, base: string): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await this.fetchImpl(url, { method, headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw networkError(err, name, base, this.timeoutMs);
    }
  }

  private async fetchToken(challenge: Parameters<typeof tokenUrl>[0], ref: ImageRef, name: string): Promise<string> {
    const url = tokenUrl(challenge, pullScope(ref.repository));
    if (!url) throw new RegistryError('bad-answer', `${name}: the registry's bearer challenge has no usable realm`);
    let res: Response;
    try {
      res = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw networkError(err, name, url.origin, this.timeoutMs);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new RegistryError(
        res.status === 401 || res.status === 403 ? 'unauthorized' : 'bad-answer',
        `${name}: the token service ${url.origin}${url.pathname} refused an anonymous token (HTTP ${res.status})`,
        res.status,
      );
    }
    const doc = parseJson(await readBody(res, name), `${name}: the token service's answer`);
    const token = typeof doc.token === 'string' ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : undefined;
    if (!token) throw new RegistryError('bad-answer', `${name}: the token service answered without a token`);
    return token;
  }
}

function inferMediaType(doc: Record<string, unknown>): string {
  if (doc.schemaVersion === 1) return '';
  if (Array.isArray(doc.manifests)) return INDEX_TYPES[0] ?? '';
  if (doc.config !== undefined && Array.isArray(doc.layers)) return MANIFEST_TYPES[0] ?? '';
  return '';
}

async function readBody(res: Response, name: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_DOCUMENT_BYTES) {
    await res.body?.cancel();
    throw new RegistryError('bad-answer', `${name}: the registry's answer is ${declared} bytes, more than a manifest or config can be`);
  }
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_DOCUMENT_BYTES) throw new RegistryError('bad-answer', `${name}: the registry's answer is larger than a manifest or config can be`);
  return buf;
}

function parseJson(body: Buffer, what: string): Record<string, unknown> {
  try {
    const doc: unknown = JSON.parse(body.toString('utf8'));
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new RegistryError('bad-answer', `${what} is not a JSON object`);
}

async function errorDetail(res: Response): Promise<{ codes: string[]; text: string }> {
  try {
    const doc = JSON.parse(await res.text()) as { errors?: { code?: string; message?: string }[] };
    const errors = Array.isArray(doc.errors) ? doc.errors : [];
    return {
      codes: errors.map((e) => String(e.code ?? '')),
      text: errors.map((e) => [e.code, e.message].filter(Boolean).join(' ')).join('; '),
    };
  } catch {
    return { codes: [], text: '' };
  }
}

function networkError(err: unknown, name: string, base: string, timeoutMs: number): RegistryError {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new RegistryError('timeout', `${name}: ${base} did not answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`);
  }
  const why = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
  return new RegistryError('unreachable', `${name}: cannot reach ${base} (${why})`);
}

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}
