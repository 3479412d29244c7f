/**
 * `WWW-Authenticate` challenges (RFC 7235) as registries send them:
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`.
 * A header may carry several challenges; parameters are tokens or quoted strings. Pure.
 */

export interface AuthChallenge {
  /** Lower-cased scheme: `bearer`, `basic`. */
  scheme: string;
  /** Parameters with lower-cased names: realm, service, scope, error. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/** Every challenge in the header, in order; malformed tails are dropped rather than guessed at. */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  // Lenient: an unquoted value runs to the next comma or space (some servers leave URLs unquoted).
  const readBare = (): string => {
    const start = i;
    while (i < n && header[i] !== ',' && header[i] !== ' ' && header[i] !== '\t') i++;
    return header.slice(start, i);
  };
  const readQuoted = (): string | undefined => {
    // at the opening quote
    i++;
    let value = '';
    while (i < n) {
      const c = header[i] ?? '';
      if (c === '\\' && i + 1 < n) {
        value += header[i + 1];
        i += 2;
      } else if (c === '"') {
        i++;
        return value;
      } else {
        value += c;
        i++;
      }
    }
    return undefined; // unterminated
  };

  let current: AuthChallenge | undefined;
  while (i < n) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const name = readToken();
    if (name === '') break;
    skipSpace();
    if (header[i] === '=') {
      i++;
      skipSpace();
      let value: string | undefined;
      if (header[i] === '"') value = readQuoted();
      else value = readBare();
      if (value === undefined || !current) break;
      current.params[name.toLowerCase()] = value;
    } else {
      // A new scheme (or a token68 credential after it, which registries do not send).
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

/** The URL a bearer token is asked on, for a challenge and the scope the request needs. */
export function tokenUrl(challenge: AuthChallenge, fallbackScope: string): URL | undefined {
  const realm = challenge.params.realm;
  if (!realm) return undefined;
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope ?? fallbackScope);
  return url;
}

/** `repository:<name>:pull`, the scope a manifest or blob read needs. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}
