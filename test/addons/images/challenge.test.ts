import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate, pullScope, tokenUrl } from '../../../src/addons/images/challenge.js';

// Headers as registries send them (Docker Hub, GHCR, Quay, a registry with an error parameter).
const DOCKER_HUB = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"';
const GHCR = 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"';
const QUAY = 'Bearer realm="https://quay.io/v2/auth",service="quay.io"';
const INSUFFICIENT = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:nope/nope:pull",error="insufficient_scope"';

describe('parseWwwAuthenticate', () => {
  it('reads a Docker Hub challenge', () => {
    expect(parseWwwAuthenticate(DOCKER_HUB)).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
  });

  it('reads the error parameter', () => {
    expect(parseWwwAuthenticate(INSUFFICIENT)[0]?.params.error).toBe('insufficient_scope');
  });

  it('reads several challenges, token values and escapes', () => {
    const got = parseWwwAuthenticate('Basic realm="Registry \\"x\\"", Bearer realm=https://r.example/t , service=svc');
    expect(got).toEqual([
      { scheme: 'basic', params: { realm: 'Registry "x"' } },
      { scheme: 'bearer', params: { realm: 'https://r.example/t', service: 'svc' } },
    ]);
  });

  it('lower-cases scheme and parameter names', () => {
    expect(parseWwwAuthenticate('BEARER Realm="https://a/t"')).toEqual([{ scheme: 'bearer', params: { realm: 'https://a/t' } }]);
  });

  it('drops a malformed tail instead of guessing', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://a/t", service="unterminated')).toEqual([{ scheme: 'bearer', params: { realm: 'https://a/t' } }]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});

describe('tokenUrl', () => {
  it('uses the realm, the service and the scope of the challenge', () => {
    const url = tokenUrl(parseWwwAuthenticate(DOCKER_HUB)[0]!, pullScope('library/other'));
    expect(url?.toString()).toBe('https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull');
  });

  it('falls back to the pull scope of the repository when the challenge names none', () => {
    const url = tokenUrl(parseWwwAuthenticate(QUAY)[0]!, pullScope('jetstack/cert-manager-controller'));
    expect(url?.searchParams.get('scope')).toBe('repository:jetstack/cert-manager-controller:pull');
    expect(url?.searchParams.get('service')).toBe('quay.io');
  });

  it('keeps a realm that already has a query', () => {
    const url = tokenUrl({ scheme: 'bearer', params: { realm: 'https://ghcr.io/token?x=1', service: 'ghcr.io' } }, 'repository:a:pull');
    expect(url?.searchParams.get('x')).toBe('1');
    expect(tokenUrl(parseWwwAuthenticate(GHCR)[0]!, 'unused')?.searchParams.get('scope')).toBe('repository:user/image:pull');
  });

  it('refuses a missing or non-http realm', () => {
    expect(tokenUrl({ scheme: 'bearer', params: {} }, 's')).toBeUndefined();
    expect(tokenUrl({ scheme: 'bearer', params: { realm: 'file:///etc/passwd' } }, 's')).toBeUndefined();
    expect(tokenUrl({ scheme: 'bearer', params: { realm: 'not a url' } }, 's')).toBeUndefined();
  });
});
