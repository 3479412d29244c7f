/**
 * A real distribution registry (Debian package `docker-registry`) on 127.0.0.1 for the image-check
 * tests and any other test that needs images in a registry. Each instance has its own config and
 * storage in a temp dir; with `auth: 'token'` it trusts a loopback token service (registry-token.ts)
 * that issues signed JWTs, so the anonymous bearer flow runs for real. Images are built by
 * registry-content.ts and pushed through the registry's own upload API (POST/PUT blobs, PUT manifests).
 *
 *   const reg = await startRegistry({ images: STANDARD_TEST_IMAGES });
 *   checkImages(images, ['arm64'], { mirrors: reg.mirrors('quay.io'), noCache: true })
 *   await reg.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWwwAuthenticate, tokenUrl } from '../../src/addons/images/challenge.js';
import { parseImageRef } from '../../src/addons/images/reference.js';
import { freePort } from './local-sshd.js';
import { buildTestImage, type BuiltManifest, type TestImageSpec } from './registry-content.js';
import { startTokenServer, TEST_TOKEN_ISSUER, TEST_TOKEN_SERVICE, type TokenServer } from './registry-token.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export type { TestImageSpec } from './registry-content.js';

/** Why the loopback registry cannot run here, or undefined when it can (tests skip with the reason). */
export function registryUnavailable(): string | undefined {
  if (!existsSync(REGISTRY_BINARY)) return `needs ${REGISTRY_BINARY} (apt-get install docker-registry)`;
  if (!existsSync('/usr/bin/openssl')) return 'needs openssl (apt-get install openssl)';
  return undefined;
}

/** A useful set: multi-arch OCI index (with attestations), Docker manifest list, single-arch amd64 images. */
export const STANDARD_TEST_IMAGES: TestImageSpec[] = [
  { repository: 'kbtest/multi', tag: '1.0', format: 'oci-index', platforms: ['linux/amd64', 'linux/arm64'], attestation: true },
  { repository: 'kbtest/list', tag: '2.0', format: 'docker-list', platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'] },
  { repository: 'kbtest/amd64only', tag: '3.0', format: 'oci-manifest', platform: 'linux/amd64' },
  { repository: 'kbtest/dockeramd64', tag: '4.0', format: 'docker-manifest', platform: 'linux/amd64' },
];

export interface PushedImage {
  /** `127.0.0.1:<port>/<repository>:<tag>` */
  ref: string;
  repository: string;
  tag: string;
  digest: string;
  mediaType: string;
  /** For an index or list: `os/arch[/variant]` → the digest of that platform's manifest. */
  platformDigests: Record<string, string>;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  baseUrl: string;
  dir: string;
  auth: RegistryAuth;
  /** Token service requests (token mode), in order. */
  tokenRequests: URLSearchParams[];
  /** Pushed images by `<repository>:<tag>`. */
  images: Record<string, PushedImage>;
  push(spec: TestImageSpec): Promise<PushedImage>;
  /**
   * Pushes an image under the repository and tag of a real reference (`quay.io/jetstack/x:v1`), with
   * the given platforms (one: a single manifest; several: an OCI index), so `mirrors('quay.io')` makes
   * the real name answer from here. References by digest cannot be reproduced and are refused.
   */
  pushRef(ref: string, platforms: string[]): Promise<PushedImage>;
  /** A mirrors map sending the given registries (and this registry's own host) to this registry over http. */
  mirrors(...registries: string[]): Record<string, string>;
  /** The registry's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** `token`: anonymous bearer tokens from registry-token.ts; `basic`: htpasswd (a user nobody knows), pushing impossible. */
export type RegistryAuth = 'none' | 'token' | 'basic';

export interface StartRegistryOptions {
  auth?: RegistryAuth;
  images?: TestImageSpec[];
  /** Token mode: repositories the token service grants nothing on. */
  deniedRepositories?: string[];
}

export async function startRegistry(opts: StartRegistryOptions = {}): Promise<LocalRegistry> {
  const auth = opts.auth ?? 'none';
  const dir = mkdtempSync(join(tmpdir(), 'kb-registry-'));
  let token: TokenServer | undefined;
  let child: ChildProcess | undefined;
  const logPath = join(dir, 'registry.log');
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await token?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (auth === 'token') token = await startTokenServer(dir, { deniedRepositories: opts.deniedRepositories });
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const baseUrl = `http://${host}`;
    writeFileSync(join(dir, 'config.yml'), registryConfig(dir, host, auth, token));
    const logFd = openSync(logPath, 'a');
    child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    const log = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
    await waitUntilServing(baseUrl, child, log);

    const pusher = authedFetch();
    const images: Record<string, PushedImage> = {};
    const push = async (spec: TestImageSpec): Promise<PushedImage> => {
      const built = buildTestImage(spec);
      await pushManifest(pusher, baseUrl, spec.repository, built, spec.tag);
      const pushed: PushedImage = {
        ref: `${host}/${spec.repository}:${spec.tag}`,
        repository: spec.repository,
        tag: spec.tag,
        digest: built.digest,
        mediaType: built.mediaType,
        platformDigests: platformDigests(built),
      };
      images[`${spec.repository}:${spec.tag}`] = pushed;
      return pushed;
    };
    const pushRef = async (ref: string, platforms: string[]): Promise<PushedImage> => {
      const parsed = parseImageRef(ref);
      if (parsed.digest !== undefined || parsed.tag === undefined) throw new Error(`pushRef: ${ref} names a digest; the harness cannot make content with a given digest`);
      const base = { repository: parsed.repository, tag: parsed.tag };
      const [only] = platforms;
      return push(platforms.length === 1 && only ? { ...base, format: 'oci-manifest', platform: only } : { ...base, format: 'oci-index', platforms });
    };
    for (const spec of opts.images ?? []) await push(spec);
    return {
      host,
      baseUrl,
      dir,
      auth,
      tokenRequests: token?.requests ?? [],
      images,
      push,
      pushRef,
      mirrors: (...registries) => Object.fromEntries([host, ...registries].map((r) => [r, baseUrl])),
      log,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function platformDigests(built: BuiltManifest): Record<string, string> {
  const doc = JSON.parse(built.body.toString('utf8')) as { manifests?: { digest: string; platform?: { os: string; architecture: string; variant?: string } }[] };
  const out: Record<string, string> = {};
  for (const m of doc.manifests ?? []) {
    if (m.platform && m.platform.os !== 'unknown') out[[m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/')] = m.digest;
  }
  return out;
}

function registryConfig(dir: string, host: string, auth: RegistryAuth, token: TokenServer | undefined): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(dir, 'data'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${JSON.stringify(token.realm)}`,
      `    service: ${TEST_TOKEN_SERVICE}`,
      `    issuer: ${TEST_TOKEN_ISSUER}`,
      `    rootcertbundle: ${JSON.stringify(token.certPath)}`,
    );
  }
  if (auth === 'basic') {
    // distribution creates the file with a random password for user "docker" when it is missing
    lines.push('auth:', '  htpasswd:', '    realm: kbootstrap-test', `    path: ${JSON.stringify(join(dir, 'htpasswd'))}`);
  }
  return lines.join('\n') + '\n';
}

async function waitUntilServing(baseUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${baseUrl}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer on ${baseUrl} within 15 s:\n${log()}`);
}

/** fetch that answers a Bearer challenge with a token (push and pull) from the realm, once per scope. */
function authedFetch(): (url: string, init?: RequestInit) => Promise<Response> {
  const tokens = new Map<string, string>();
  return async (url, init = {}) => {
    const parts = new URL(url).pathname.split('/').slice(2);
    const scopeKey = parts.slice(0, parts.findIndex((p) => p === 'blobs' || p === 'manifests')).join('/');
    const withToken = (t: string | undefined): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), ...(t ? { authorization: `Bearer ${t}` } : {}) } });
    let res = await fetch(url, withToken(tokens.get(scopeKey)));
    if (res.status !== 401) return res;
    const bearer = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '').find((c) => c.scheme === 'bearer');
    await res.body?.cancel();
    if (!bearer) return res;
    const tUrl = tokenUrl(bearer, `repository:${scopeKey}:pull,push`);
    if (!tUrl) return res;
    const answer = (await (await fetch(tUrl)).json()) as { token: string };
    tokens.set(scopeKey, answer.token);
    res = await fetch(url, withToken(answer.token));
    return res;
  };
}

async function pushManifest(
  f: (url: string, init?: RequestInit) => Promise<Response>,
  baseUrl: string,
  repository: string,
  manifest: BuiltManifest,
  reference: string,
): Promise<void> {
  for (const child of manifest.children) await pushManifest(f, baseUrl, repository, child, child.digest);
  for (const blob of manifest.blobs) {
    const head = await f(`${baseUrl}/v2/${repository}/blobs/${blob.digest}`, { method: 'HEAD' });
    if (head.status === 200) continue;
    const start = await f(`${baseUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    await start.body?.cancel();
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) throw new Error(`registry refused a blob upload for ${repository}: HTTP ${start.status}`);
    const url = new URL(location, baseUrl);
    url.searchParams.set('digest', blob.digest);
    const put = await f(url.toString(), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
      body: new Uint8Array(blob.data),
    });
    if (put.status !== 201) throw new Error(`registry refused blob ${blob.digest} for ${repository}: HTTP ${put.status} ${await put.text()}`);
    await put.body?.cancel();
  }
  const res = await f(`${baseUrl}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType },
    body: new Uint8Array(manifest.body),
  });
  if (res.status !== 201) throw new Error(`registry refused manifest ${reference} (${manifest.mediaType}) for ${repository}: HTTP ${res.status} ${await res.text()}`);
  await res.body?.cancel();
}
