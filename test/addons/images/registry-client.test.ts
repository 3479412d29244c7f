import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/addons/images/reference.js';
import { indexPlatforms } from '../../../src/addons/images/platforms.js';
import { RegistryClient, RegistryError } from '../../../src/addons/images/registry-client.js';

// Answers a registry gives in cases the loopback docker-registry cannot produce (schema 1, 403, 429,
// NAME_UNKNOWN, a lying mirror, artifacts), replayed through the client's fetch option.
type Recorded = { status: number; headers?: Record<string, string>; body?: string };
function replay(answers: Record<string, Recorded>): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = [];
  const f: typeof fetch = async (input) => {
    const url = String(input);
    asked.push(url);
    const a = answers[url];
    if (!a) return new Response('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', { status: 404 });
    return new Response(a.body ?? '', { status: a.status, headers: a.headers });
  };
  return { fetch: f, asked };
}
const sha = (s: string) => 'sha256:' + createHash('sha256').update(s).digest('hex');
const BASE = 'https://quay.io/v2/org/app';
const ref = (r = 'quay.io/org/app:1') => parseImageRef(r);

async function failure(client: RegistryClient, r = ref()): Promise<RegistryError> {
  const err = await client.platforms(r).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(err)}`);
  return err;
}

describe('RegistryClient with recorded answers', () => {
  it('refuses a Docker schema 1 manifest clearly', async () => {
    const v1 = JSON.stringify({ schemaVersion: 1, name: 'org/app', tag: '1', architecture: 'amd64', fsLayers: [], history: [] });
    const { fetch } = replay({ [`${BASE}/manifests/1`]: { status: 200, headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }, body: v1 } });
    const err = await failure(new RegistryClient({ fetch }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toContain('quay.io/org/app:1: the registry answered with a Docker schema 1 manifest');
  });

  it('reads the media type from the body when the Content-Type is generic', async () => {
    const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ digest: sha('a'), size: 1, platform: { os: 'linux', architecture: 'arm64' } }] });
    const { fetch } = replay({ [`${BASE}/manifests/1`]: { status: 200, headers: { 'content-type': 'application/json' }, body: index } });
    const answer = await new RegistryClient({ fetch }).platforms(ref());
    expect(answer).toEqual({ kind: 'index', mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha(index), platforms: [{ os: 'linux', architecture: 'arm64' }] });
  });

  it('refuses an answer for a digest whose content does not hash to it', async () => {
    const digest = sha('something else');
    const { fetch } = replay({ [`${BASE}/manifests/${digest}`]: { status: 200, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: '{"schemaVersion":2,"manifests":[]}' } });
    const err = await failure(new RegistryClient({ fetch }), ref(`quay.io/org/app@${digest}`));
    expect(err.code).toBe('bad-answer');
    expect(err.message).toContain('not the digest asked for');
  });

  it('refuses an artifact that is not a container image', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: sha('c'), size: 1 }, layers: [] });
    const { fetch } = replay({ [`${BASE}/manifests/1`]: { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest } });
    const err = await failure(new RegistryClient({ fetch }));
    expect(err).toMatchObject({ code: 'unsupported' });
    expect(err.message).toContain('not a container image (its config is "application/vnd.cncf.helm.config.v1+json")');
  });

  it('refuses a config blob that does not hash to the digest the manifest names', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha('real'), size: 4 }, layers: [] });
    const { fetch } = replay({
      [`${BASE}/manifests/1`]: { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest },
      [`${BASE}/blobs/${sha('real')}`]: { status: 200, body: '{"os":"linux","architecture":"arm64"}' },
    });
    expect((await failure(new RegistryClient({ fetch }))).message).toContain("config blob's sha256 is not the digest");
  });

  it.each([
    [403, '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}', 'denied', 'denied access (HTTP 403: DENIED requested access to the resource is denied)'],
    [429, '{"errors":[{"code":"TOOMANYREQUESTS"}]}', 'denied', 'is rate-limiting (HTTP 429)'],
    [404, '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}', 'not-found', 'repository org/app not found on https://quay.io'],
    [500, 'oops', 'bad-answer', 'answered HTTP 500'],
  ])('HTTP %i is named', async (status, body, code, text) => {
    const { fetch } = replay({ [`${BASE}/manifests/1`]: { status, body } });
    const err = await failure(new RegistryClient({ fetch }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(text);
    expect(err.message.startsWith('quay.io/org/app:1: ')).toBe(true);
  });

  it('names a token service that refuses', async () => {
    const { fetch, asked } = replay({
      [`${BASE}/manifests/1`]: { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://quay.io/v2/auth",service="quay.io"' } },
      'https://quay.io/v2/auth?service=quay.io&scope=repository%3Aorg%2Fapp%3Apull': { status: 403 },
    });
    const err = await failure(new RegistryClient({ fetch }));
    expect(err.code).toBe('unauthorized');
    expect(err.message).toBe('quay.io/org/app:1: the token service https://quay.io/v2/auth refused an anonymous token (HTTP 403)');
    expect(asked).toHaveLength(2);
  });

  it('asks Docker Hub on registry-1.docker.io, and a mirror keyed by either name', () => {
    expect(new RegistryClient().baseUrl(parseImageRef('nginx'))).toBe('https://registry-1.docker.io');
    expect(new RegistryClient({ mirrors: { 'docker.io': 'http://127.0.0.1:1/' } }).baseUrl(parseImageRef('nginx'))).toBe('http://127.0.0.1:1');
    expect(new RegistryClient({ mirrors: { 'registry-1.docker.io': 'http://127.0.0.1:2' } }).baseUrl(parseImageRef('nginx'))).toBe('http://127.0.0.1:2');
  });
});

describe('indexPlatforms', () => {
  it('skips attestation entries, entries without a platform, and duplicates', () => {
    const doc = {
      manifests: [
        { platform: { os: 'linux', architecture: 'amd64' } },
        { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
        { platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json' },
        { platform: { os: 'windows', architecture: 'amd64' } },
      ],
    };
    expect(indexPlatforms(doc, 'x')).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'windows', architecture: 'amd64' },
    ]);
    expect(() => indexPlatforms({}, 'img')).toThrow('img: the index has no manifests list');
  });
});
