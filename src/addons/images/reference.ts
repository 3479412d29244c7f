/**
 * Image references as Docker and containerd read them: `nginx` is `docker.io/library/nginx:latest`,
 * the first path component is a registry only when it holds a dot or a colon or is `localhost`, a tag
 * follows the last colon after the last slash, a digest follows `@`. Pure; no I/O.
 */

export const DOCKER_HUB = 'docker.io';
/** Docker Hub's API lives on another host than the name images carry. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

export interface ImageRef {
  /** The reference as given. */
  original: string;
  /** Registry as images name it (`docker.io`, `quay.io`, `localhost:5000`); `index.docker.io` → `docker.io`. */
  registry: string;
  /** Host (and port) the API is asked on: `registry-1.docker.io` for Docker Hub, else `registry`. */
  apiHost: string;
  /** Repository path inside the registry (`library/nginx`, `jetstack/cert-manager-controller`). */
  repository: string;
  /** The tag; `latest` when neither tag nor digest was given. */
  tag?: string;
  /** `sha256:<64 hex>`; when present it is what the registry is asked for (the tag is informative). */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::\d{1,5})?$|^\[[0-9a-fA-F:]+\](?::\d{1,5})?$/;

export class ImageRefError extends Error {
  constructor(
    readonly ref: string,
    reason: string,
  ) {
    super(`invalid image reference "${ref}": ${reason}`);
    this.name = 'ImageRefError';
  }
}

/** Parses and normalises a reference; throws ImageRefError saying what is wrong with it. */
export function parseImageRef(input: string): ImageRef {
  const ref = input.trim();
  if (ref === '') throw new ImageRefError(input, 'it is empty');
  if (/\s/.test(ref)) throw new ImageRefError(input, 'it contains white space');
  if (ref.includes('://')) throw new ImageRefError(input, 'a reference has no scheme (drop "https://")');

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageRefError(input, `"${digest}" is not a digest (sha256:<64 lowercase hex digits>)`);
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw new ImageRefError(input, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }

  let registry = DOCKER_HUB;
  let path = rest;
  const firstSlash = rest.indexOf('/');
  if (firstSlash >= 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      if (!HOST.test(first)) throw new ImageRefError(input, `"${first}" is not a registry host[:port]`);
      registry = first.toLowerCase();
      path = rest.slice(firstSlash + 1);
    }
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (path === '') throw new ImageRefError(input, 'the repository name is missing');
  for (const component of path.split('/')) {
    if (!COMPONENT.test(component)) {
      throw new ImageRefError(
        input,
        component === '' ? 'the repository path has an empty component' : `"${component}" is not a valid repository component (lowercase letters, digits, . _ -)`,
      );
    }
  }
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (path.length > 255) throw new ImageRefError(input, 'the repository name is longer than 255 characters');
  if (!tag && !digest) tag = 'latest';

  return {
    original: input,
    registry,
    apiHost: registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry,
    repository: path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The fully qualified form: `docker.io/library/nginx:1.27`, `quay.io/x/y@sha256:…`, or both tag and digest. */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** What the manifest endpoint is asked for: the digest when there is one, else the tag. */
export function manifestReference(ref: ImageRef): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
