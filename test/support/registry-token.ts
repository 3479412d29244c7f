/**
 * A token service on 127.0.0.1 for a registry configured with `auth: token`: it issues real JWTs
 * (RS256, the signing certificate in the `x5c` header) signed with a key whose self-signed certificate
 * (made by openssl) is the registry's `rootcertbundle`. Anonymous requests get the actions they ask for,
 * except on repositories listed as denied, which get none (as Docker Hub does for a private or missing
 * repository). Every request is recorded for assertions.
 */
import { execFileSync } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export const TEST_TOKEN_SERVICE = 'kbootstrap-test-registry';
export const TEST_TOKEN_ISSUER = 'kbootstrap-test-token-issuer';

export interface TokenServer {
  /** The realm URL the registry sends in its challenge. */
  realm: string;
  /** PEM of the signing certificate: the registry's rootcertbundle. */
  certPath: string;
  /** The query of every token request, in order. */
  requests: URLSearchParams[];
  stop(): Promise<void>;
}

/** Makes the key and certificate in `dir` and listens on a free loopback port. */
export async function startTokenServer(dir: string, opts: { deniedRepositories?: string[] } = {}): Promise<TokenServer> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=kbootstrap test token signer'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const key = readFileSync(keyPath, 'utf8');
  const certDer = new X509Certificate(readFileSync(certPath)).raw.toString('base64');
  const denied = new Set(opts.deniedRepositories ?? []);
  const requests: URLSearchParams[] = [];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    requests.push(url.searchParams);
    const access = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .map(parseScope)
      .filter((a): a is Access => a !== undefined && !denied.has(a.name));
    const token = signJwt(key, certDer, { service: url.searchParams.get('service') ?? '', access });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('token server did not bind');
  return {
    realm: `http://127.0.0.1:${address.port}/token`,
    certPath,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** `repository:library/nginx:pull,push` → { type, name, actions }. */
function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

function signJwt(keyPem: string, certDer: string, claims: { service: string; access: Access[] }): string {
  const b64url = (v: object | Buffer): string => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer] };
  const payload = {
    iss: TEST_TOKEN_ISSUER,
    sub: '',
    aud: claims.service,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(8).toString('hex'),
    access: claims.access,
  };
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(keyPem);
  return `${signingInput}.${b64url(signature)}`;
}
