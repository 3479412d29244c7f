/**
 * Test images in the real formats, built here from scratch: a gzip'd tar layer (made by `tar`), an
 * image config JSON naming os/architecture, OCI or Docker v2 manifests, and OCI image indexes or Docker
 * manifest lists over them (optionally with a BuildKit-style attestation entry `unknown/unknown`).
 * `registry.ts` pushes these blobs and manifests through a registry's upload API.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
} as const;

export interface Blob {
  digest: string;
  size: number;
  data: Buffer;
}

export interface BuiltManifest {
  mediaType: string;
  digest: string;
  body: Buffer;
  /** Blobs the manifest needs in the registry before it is pushed. */
  blobs: Blob[];
  /** Manifests an index needs pushed (by digest) before it. */
  children: BuiltManifest[];
}

/** What a test asks for. `platform` is `os/arch[/variant]`. */
export type TestImageSpec =
  | { repository: string; tag: string; format: 'oci-index' | 'docker-list'; platforms: string[]; attestation?: boolean }
  | { repository: string; tag: string; format: 'oci-manifest' | 'docker-manifest'; platform: string };

export function blobOf(data: Buffer): Blob {
  return { digest: `sha256:${createHash('sha256').update(data).digest('hex')}`, size: data.length, data };
}

/** A one-file layer: the uncompressed tar (for the config's diff_ids) and its gzip (the blob). */
export function makeLayer(fileName: string, content: string): { blob: Blob; diffId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kb-layer-'));
  try {
    writeFileSync(join(dir, fileName), content);
    const tar = execFileSync('tar', ['-c', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-C', dir, fileName]);
    return { blob: blobOf(gzipSync(tar)), diffId: blobOf(tar).digest };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parsePlatform(platform: string): { os: string; architecture: string; variant?: string } {
  const [os, architecture, variant] = platform.split('/');
  if (!os || !architecture) throw new Error(`test image platform "${platform}" is not os/arch[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

/** A single-platform image: layer + config (os/architecture) + manifest. */
export function makeImageManifest(platform: string, format: 'oci' | 'docker', label: string): BuiltManifest {
  const p = parsePlatform(platform);
  const layer = makeLayer('hello.txt', `${label} for ${platform}\n`);
  const config = blobOf(
    json({
      ...p,
      created: '2026-01-01T00:00:00Z',
      config: { Cmd: ['/hello.txt'], Labels: { 'org.kbootstrap.test': label } },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created: '2026-01-01T00:00:00Z', created_by: 'kbootstrap test harness' }],
    }),
  );
  const mediaType = format === 'oci' ? MT.ociManifest : MT.dockerManifest;
  const body = json({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: format === 'oci' ? MT.ociConfig : MT.dockerConfig, digest: config.digest, size: config.size },
    layers: [{ mediaType: format === 'oci' ? MT.ociLayer : MT.dockerLayer, digest: layer.blob.digest, size: layer.blob.size }],
  });
  return { mediaType, digest: blobOf(body).digest, body, blobs: [config, layer.blob], children: [] };
}

/** A BuildKit-style attestation manifest (config says unknown/unknown, one in-toto layer) for `subject`. */
function makeAttestation(subject: BuiltManifest): BuiltManifest {
  const statement = blobOf(json({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://spdx.dev/Document', subject: [{ name: 'test', digest: { sha256: subject.digest.slice(7) } }], predicate: {} }));
  const config = blobOf(json({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [statement.digest] } }));
  const body = json({
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: config.digest, size: config.size },
    layers: [{ mediaType: MT.inToto, digest: statement.digest, size: statement.size, annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' } }],
  });
  return { mediaType: MT.ociManifest, digest: blobOf(body).digest, body, blobs: [config, statement], children: [] };
}

/** An OCI image index or Docker manifest list over one image per platform. */
export function makeIndex(platforms: string[], format: 'oci' | 'docker', label: string, attestation = false): BuiltManifest {
  const children = platforms.map((p) => makeImageManifest(p, format, label));
  const entries: Record<string, unknown>[] = children.map((child, i) => ({
    mediaType: child.mediaType,
    digest: child.digest,
    size: child.body.length,
    platform: parsePlatform(platforms[i] ?? ''),
  }));
  const all = [...children];
  if (attestation) {
    for (const child of children) {
      const att = makeAttestation(child);
      all.push(att);
      entries.push({
        mediaType: att.mediaType,
        digest: att.digest,
        size: att.body.length,
        annotations: { 'vnd.docker.reference.digest': child.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
        platform: { architecture: 'unknown', os: 'unknown' },
      });
    }
  }
  const mediaType = format === 'oci' ? MT.ociIndex : MT.dockerList;
  const body = json({ schemaVersion: 2, mediaType, manifests: entries });
  return { mediaType, digest: blobOf(body).digest, body, blobs: [], children: all };
}

export function buildTestImage(spec: TestImageSpec): BuiltManifest {
  const label = `${spec.repository}:${spec.tag}`;
  switch (spec.format) {
    case 'oci-index':
      return makeIndex(spec.platforms, 'oci', label, spec.attestation);
    case 'docker-list':
      return makeIndex(spec.platforms, 'docker', label, spec.attestation);
    case 'oci-manifest':
      return makeImageManifest(spec.platform, 'oci', label);
    case 'docker-manifest':
      return makeImageManifest(spec.platform, 'docker', label);
  }
}
