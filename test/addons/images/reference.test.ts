import { describe, expect, it } from 'vitest';
import { formatImageRef, ImageRefError, manifestReference, parseImageRef } from '../../../src/addons/images/reference.js';

const D = 'sha256:' + 'ab'.repeat(32);

describe('parseImageRef', () => {
  it.each([
    ['nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', undefined],
    ['nginx:1.27', 'docker.io', 'registry-1.docker.io', 'library/nginx', '1.27', undefined],
    ['docker.io/nginx:1.27', 'docker.io', 'registry-1.docker.io', 'library/nginx', '1.27', undefined],
    ['index.docker.io/library/nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', undefined],
    ['envoyproxy/envoy:v1.37-latest', 'docker.io', 'registry-1.docker.io', 'envoyproxy/envoy', 'v1.37-latest', undefined],
    ['quay.io/jetstack/cert-manager-controller:v1.21.0', 'quay.io', 'quay.io', 'jetstack/cert-manager-controller', 'v1.21.0', undefined],
    ['gcr.io/knative-releases/knative.dev/serving/cmd/queue', 'gcr.io', 'gcr.io', 'knative-releases/knative.dev/serving/cmd/queue', 'latest', undefined],
    ['localhost/app:dev', 'localhost', 'localhost', 'app', 'dev', undefined],
    ['localhost:5000/team/app:1', 'localhost:5000', 'localhost:5000', 'team/app', '1', undefined],
    ['127.0.0.1:41234/kbtest/multi:1.0', '127.0.0.1:41234', '127.0.0.1:41234', 'kbtest/multi', '1.0', undefined],
    [`quay.io/strimzi/operator@${D}`, 'quay.io', 'quay.io', 'strimzi/operator', undefined, D],
    [`registry.k8s.io/pause:3.10@${D}`, 'registry.k8s.io', 'registry.k8s.io', 'pause', '3.10', D],
    [`busybox@${D}`, 'docker.io', 'registry-1.docker.io', 'library/busybox', undefined, D],
  ])('%s', (input, registry, apiHost, repository, tag, digest) => {
    const ref = parseImageRef(input);
    expect(ref).toEqual({ original: input, registry, apiHost, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) });
  });

  it('a first component without a dot, colon or "localhost" is a Docker Hub namespace, not a host', () => {
    expect(parseImageRef('myorg/tool:1').registry).toBe('docker.io');
    expect(parseImageRef('myorg/tool:1').repository).toBe('myorg/tool');
  });

  it('a port is not a tag', () => {
    const ref = parseImageRef('myhost:5000/app');
    expect(ref).toMatchObject({ registry: 'myhost:5000', repository: 'app', tag: 'latest' });
  });

  it('asks the manifest endpoint for the digest when both are given', () => {
    expect(manifestReference(parseImageRef(`app:1@${D}`))).toBe(D);
    expect(manifestReference(parseImageRef('app:1'))).toBe('1');
  });

  it('formats the fully qualified reference', () => {
    expect(formatImageRef(parseImageRef('nginx'))).toBe('docker.io/library/nginx:latest');
    expect(formatImageRef(parseImageRef(`quay.io/a/b:2@${D}`))).toBe(`quay.io/a/b:2@${D}`);
  });

  it.each([
    ['', 'empty'],
    ['Nginx:1', '"Nginx" is not a valid repository component'],
    ['nginx:', '"" is not a valid tag'],
    ['nginx:-x', 'not a valid tag'],
    ['nginx@sha256:abc', 'is not a digest'],
    ['https://quay.io/a/b', 'no scheme'],
    ['quay.io/', 'repository name is missing'],
    ['quay.io/a//b', 'empty component'],
    ['a b', 'white space'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(() => parseImageRef(input)).toThrow(ImageRefError);
    expect(() => parseImageRef(input)).toThrow(reason);
  });
});
