import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImages, imageCheckError, type ImageResult } from '../../../src/addons/images/check.js';
import { formatImageTable } from '../../../src/addons/images/table.js';
import type { AddonImage } from '../../../src/addons/types.js';
import { freePort } from '../../support/local-sshd.js';
import { registryUnavailable, startRegistry, STANDARD_TEST_IMAGES, type LocalRegistry } from '../../support/registry.js';

const skip = registryUnavailable();
const img = (ref: string, component: string): AddonImage => ({ ref, component, overrideKey: `addons.test.images.${component}` });
const byComponent = (images: ImageResult[], component: string): ImageResult => {
  const found = images.find((i) => i.component === component);
  if (!found) throw new Error(`no result for ${component}`);
  return found;
};

/** fetch that counts requests and the most in flight at once. */
function countingFetch(): { fetch: typeof fetch; calls: string[]; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const calls: string[] = [];
  const f: typeof fetch = async (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  return { fetch: f, calls, maxInFlight: () => max };
}

describe.skipIf(skip)(`checkImages against docker-registry on 127.0.0.1${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let reg: LocalRegistry;
  let cacheRoot: string;
  beforeAll(async () => {
    reg = await startRegistry({
      images: [...STANDARD_TEST_IMAGES, { repository: 'library/kbalpine', tag: '3.21', format: 'oci-index', platforms: ['linux/amd64', 'linux/arm64/v8'] }],
    });
    cacheRoot = mkdtempSync(join(tmpdir(), 'kb-imgcheck-'));
  }, 60_000);
  afterAll(async () => {
    await reg?.stop();
    if (cacheRoot) rmSync(cacheRoot, { recursive: true, force: true });
  });

  it('reads platforms from an OCI index (skipping attestations), a Docker manifest list, and single manifests through their config', async () => {
    const images = [
      img(reg.images['kbtest/multi:1.0']!.ref, 'multi'),
      img(reg.images['kbtest/list:2.0']!.ref, 'list'),
      img(reg.images['kbtest/amd64only:3.0']!.ref, 'amd64only'),
      img(reg.images['kbtest/dockeramd64:4.0']!.ref, 'dockeramd64'),
    ];
    const report = await checkImages(images, ['amd64', 'arm64'], { mirrors: reg.mirrors(), noCache: true });

    const multi = byComponent(report.images, 'multi');
    expect(multi.manifest).toEqual({ kind: 'index', mediaType: 'application/vnd.oci.image.index.v1+json', digest: reg.images['kbtest/multi:1.0']!.digest });
    expect(multi.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
    expect(multi.supports).toEqual({ amd64: true, arm64: true });
    expect(multi.problems).toEqual([]);

    const list = byComponent(report.images, 'list');
    expect(list.manifest?.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(list.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    expect(list.supports).toEqual({ amd64: true, arm64: true });

    for (const [component, mediaType] of [
      ['amd64only', 'application/vnd.oci.image.manifest.v1+json'],
      ['dockeramd64', 'application/vnd.docker.distribution.manifest.v2+json'],
    ] as const) {
      const single = byComponent(report.images, component);
      expect(single.manifest).toMatchObject({ kind: 'manifest', mediaType });
      expect(single.platforms).toEqual([{ os: 'linux', architecture: 'amd64' }]);
      expect(single.supports).toEqual({ amd64: true, arm64: false });
      expect(single.problems).toEqual([
        {
          kind: 'missing-architecture',
          ref: single.ref,
          component,
          overrideKey: `addons.test.images.${component}`,
          architecture: 'arm64',
          message: `${component} image ${single.ref} has no linux/arm64 build (it has linux/amd64); set addons.test.images.${component} in the inventory to an image built for arm64`,
        },
      ]);
    }
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.component)).toEqual(['amd64only', 'dockeramd64']);

    const err = imageCheckError(report);
    expect(err?.message).toContain('2 problem(s)');
    expect(err?.hint).toContain('addons.test.images.amd64only, addons.test.images.dockeramd64');

    // The table, as the views print it.
    const lines = formatImageTable(report);
    expect(lines[0]).toBe('Images × architecture (4 image(s), 2 problem(s))');
    expect(lines[1]).toMatch(/^COMPONENT\s+IMAGE\s+amd64\s+arm64\s+NOTE$/);
    expect(lines[2]).toMatch(/^multi\s+\S+multi:1\.0\s+✔\s+✔$/);
    expect(lines[4]).toMatch(/^amd64only\s+\S+amd64only:3\.0\s+✔\s+✘\s+override: addons\.test\.images\.amd64only$/);
  });

  it('the same amd64-only image passes for an amd64-only cluster', async () => {
    const report = await checkImages([img(reg.images['kbtest/amd64only:3.0']!.ref, 'amd64only')], ['x86_64'], { mirrors: reg.mirrors(), noCache: true });
    expect(report.architectures).toEqual(['amd64']);
    expect(report.ok).toBe(true);
  });

  it('asks by digest: an index by its digest, and one platform manifest by its digest', async () => {
    const multi = reg.images['kbtest/multi:1.0']!;
    const armDigest = reg.images['kbtest/list:2.0']!.platformDigests['linux/arm/v7']!;
    const report = await checkImages(
      [img(`${reg.host}/kbtest/multi@${multi.digest}`, 'index-digest'), img(`${reg.host}/kbtest/list:2.0@${armDigest}`, 'arm-digest')],
      ['arm64', 'arm/v7'],
      { mirrors: reg.mirrors(), noCache: true },
    );
    expect(byComponent(report.images, 'index-digest').supports).toEqual({ arm64: true, 'arm/v7': false });
    const arm = byComponent(report.images, 'arm-digest');
    expect(arm.manifest).toMatchObject({ kind: 'manifest', digest: armDigest });
    expect(arm.platforms).toEqual([{ os: 'linux', architecture: 'arm', variant: 'v7' }]);
    expect(arm.supports).toEqual({ arm64: false, 'arm/v7': true });
  });

  it('sends docker.io and quay.io names to the mirror, with the library/ prefix for official images', async () => {
    const report = await checkImages([img('kbalpine:3.21', 'official'), img('quay.io/kbtest/multi:1.0', 'quay')], ['arm64'], {
      mirrors: reg.mirrors('docker.io', 'quay.io'),
      noCache: true,
    });
    expect(byComponent(report.images, 'official')).toMatchObject({ image: 'docker.io/library/kbalpine:3.21', supports: { arm64: true } });
    expect(byComponent(report.images, 'quay')).toMatchObject({ image: 'quay.io/kbtest/multi:1.0', supports: { arm64: true } });
    expect(report.ok).toBe(true);
  });

  it('answers real image names pushed with pushRef through the mirror map', async () => {
    await reg.pushRef('quay.io/jetstack/cert-manager-controller:v1.21.0', ['linux/amd64', 'linux/arm64']);
    await reg.pushRef('docker.io/apache/openwhisk-controller:ef725a6', ['linux/amd64']);
    const report = await checkImages(
      [img('quay.io/jetstack/cert-manager-controller:v1.21.0', 'controller'), img('apache/openwhisk-controller:ef725a6', 'ow-controller')],
      ['arm64'],
      { mirrors: reg.mirrors('quay.io', 'docker.io'), noCache: true },
    );
    expect(report.images.map((i) => [i.component, i.manifest?.kind, i.supports])).toEqual([
      ['controller', 'index', { arm64: true }],
      ['ow-controller', 'manifest', { arm64: false }],
    ]);
    expect(report.problems.map((p) => p.overrideKey)).toEqual(['addons.test.images.ow-controller']);
    await expect(reg.pushRef(`quay.io/a/b@sha256:${'1'.repeat(64)}`, ['linux/amd64'])).rejects.toThrow('names a digest');
  });

  it('names a missing tag, a missing repository and a missing digest with the image and the component', async () => {
    const missingDigest = 'sha256:' + '0'.repeat(64);
    const report = await checkImages(
      [img(`${reg.host}/kbtest/multi:9.9`, 'no-tag'), img(`${reg.host}/kbtest/nothing:1`, 'no-repo'), img(`${reg.host}/kbtest/multi@${missingDigest}`, 'no-digest')],
      ['arm64'],
      { mirrors: reg.mirrors(), noCache: true },
    );
    expect(report.problems.map((p) => [p.component, p.kind])).toEqual([
      ['no-tag', 'not-found'],
      ['no-repo', 'not-found'],
      ['no-digest', 'not-found'],
    ]);
    expect(report.problems[0]?.message).toBe(`no-tag image ${reg.host}/kbtest/multi:9.9: tag "9.9" not found in repository kbtest/multi on ${reg.baseUrl}`);
    // distribution 2.8 answers MANIFEST_UNKNOWN (not NAME_UNKNOWN) for a repository it never had
    expect(report.problems[1]?.message).toBe(`no-repo image ${reg.host}/kbtest/nothing:1: tag "1" not found in repository kbtest/nothing on ${reg.baseUrl}`);
    expect(report.problems[2]?.message).toContain(`digest ${missingDigest} not found`);
    expect(byComponent(report.images, 'no-tag').supports).toEqual({});
    expect(formatImageTable(report)[2]).toMatch(/^no-tag\s+\S+\s+\?\s+not-found$/);
  });

  it('an invalid reference is a problem of that image, not a crash', async () => {
    const report = await checkImages([img('Bad/Name:1', 'bad')], ['arm64'], { mirrors: reg.mirrors(), noCache: true });
    expect(report.problems).toMatchObject([{ kind: 'invalid-reference', component: 'bad', overrideKey: 'addons.test.images.bad' }]);
    expect(report.problems[0]?.message).toContain('(set addons.test.images.bad)');
  });

  it('names an unreachable registry and one that does not answer in time', async () => {
    const closedPort = await freePort();
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      const report = await checkImages([img('closed.test/a/b:1', 'closed'), img('silent.test/a/b:1', 'silent')], ['arm64'], {
        mirrors: { 'closed.test': `http://127.0.0.1:${closedPort}`, 'silent.test': `http://127.0.0.1:${silentPort}` },
        timeoutMs: 300,
        noCache: true,
      });
      expect(report.problems.map((p) => p.kind)).toEqual(['unreachable', 'timeout']);
      expect(report.problems[0]?.message).toBe(`closed image closed.test/a/b:1: cannot reach http://127.0.0.1:${closedPort} (ECONNREFUSED)`);
      expect(report.problems[1]?.message).toBe(`silent image silent.test/a/b:1: http://127.0.0.1:${silentPort} did not answer within 300 ms`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('asks at most `concurrency` requests at once and each image once', async () => {
    const refs = STANDARD_TEST_IMAGES.map((spec, i) => img(reg.images[`${spec.repository}:${spec.tag}`]!.ref, `c${i}`));
    for (const concurrency of [1, 2]) {
      const counter = countingFetch();
      const report = await checkImages([...refs, ...refs], ['amd64'], { mirrors: reg.mirrors(), noCache: true, concurrency, fetch: counter.fetch });
      expect(report.images).toHaveLength(refs.length * 2);
      expect(counter.maxInFlight()).toBeLessThanOrEqual(concurrency);
      // one manifest request per distinct image, plus a config blob for the two single manifests
      expect(counter.calls.filter((c) => c.includes('/manifests/'))).toHaveLength(refs.length);
      expect(counter.calls.every((c) => c.startsWith('GET '))).toBe(true);
      expect(counter.calls.filter((c) => c.includes('/blobs/'))).toHaveLength(2);
    }
  });

  it('caches answers: tags for the TTL (then revalidated by a HEAD), digests for good', async () => {
    const moving = await reg.push({ repository: 'kbtest/moving', tag: '1', format: 'oci-manifest', platform: 'linux/amd64' });
    const images = [img(moving.ref, 'tag'), img(`${reg.host}/kbtest/multi@${reg.images['kbtest/multi:1.0']!.digest}`, 'digest')];
    let clock = Date.UTC(2026, 11, 3, 9, 0, 0);
    const opts = { mirrors: reg.mirrors(), cacheDir: cacheRoot, tagTtlMs: 60_000, now: () => clock };
    const run = async () => {
      const counter = countingFetch();
      const report = await checkImages(images, ['arm64'], { ...opts, fetch: counter.fetch });
      return { report, calls: counter.calls, fromCache: report.images.map((i) => i.fromCache) };
    };
    const manifestUrl = `${reg.baseUrl}/v2/kbtest/moving/manifests/1`;

    const r1 = await run();
    expect(r1.fromCache).toEqual([false, false]);
    expect(r1.calls).toHaveLength(3); // tag manifest + its config blob, digest manifest

    const r2 = await run();
    expect(r2.fromCache).toEqual([true, true]);
    expect(r2.report.images[0]?.platforms).toEqual([{ os: 'linux', architecture: 'amd64' }]);
    expect(r2.calls).toEqual([]);
    expect(formatImageTable(r2.report)[3]).toMatch(/^digest .*cached$/);

    // past the TTL, the tag still points at the same manifest: one HEAD, no pull
    clock += 61_000;
    const r3 = await run();
    expect(r3.fromCache).toEqual([true, true]);
    expect(r3.calls).toEqual([`HEAD ${manifestUrl}`]);

    // the tag moves to a multi-arch index: past the TTL the HEAD sees a new digest and the index is read
    const moved = await reg.push({ repository: 'kbtest/moving', tag: '1', format: 'oci-index', platforms: ['linux/amd64', 'linux/arm64'] });
    const r4 = await run();
    expect(r4.calls).toEqual([]); // still within the refreshed TTL: the old answer
    expect(r4.report.ok).toBe(false);
    clock += 61_000;
    const r5 = await run();
    expect(r5.fromCache).toEqual([false, true]);
    expect(r5.calls).toEqual([`HEAD ${manifestUrl}`, `GET ${manifestUrl}`]);
    expect(r5.report.images[0]?.manifest?.digest).toBe(moved.digest);
    expect(r5.report.ok).toBe(true);
  });

  it('offline skips every registry with a warning', async () => {
    const counter = countingFetch();
    const report = await checkImages([img(reg.images['kbtest/amd64only:3.0']!.ref, 'x')], ['arm64'], { offline: true, fetch: counter.fetch, mirrors: reg.mirrors() });
    expect(report).toMatchObject({ skipped: true, ok: true, images: [], problems: [] });
    expect(report.warnings[0]).toContain('offline: the image check was skipped; 1 image(s) were not checked for arm64');
    expect(counter.calls).toEqual([]);
    expect(formatImageTable(report)[0]).toBe('Images (not checked: offline)');
  });
});
