/**
 * k3s join tokens. Secure form `K10<sha256 of the cluster CA, hex>::<user>:<password>` (user "server"
 * for the server token, "node" for the agent token), the short form (the password alone) and
 * Kubernetes bootstrap tokens `abcdef.0123456789abcdef`.
 */
export type K3sToken =
  | { form: 'secure'; caHash: string; user: string; password: string }
  | { form: 'bootstrap'; id: string; secret: string }
  | { form: 'short'; password: string };

const SECURE = /^K10([0-9a-f]{64})::([a-z0-9-]+):(\S+)$/;
const BOOTSTRAP = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const SHORT = /^[^\s:]+$/;

/** undefined when the text is no k3s token (empty, whitespace or colons inside, a broken secure form). */
export function parseK3sToken(text: string): K3sToken | undefined {
  const token = text.trim();
  let m = SECURE.exec(token);
  if (m) return { form: 'secure', caHash: m[1]!, user: m[2]!, password: m[3]! };
  if (token.startsWith('K10')) return undefined;
  m = BOOTSTRAP.exec(token);
  if (m) return { form: 'bootstrap', id: m[1]!, secret: m[2]! };
  if (SHORT.test(token)) return { form: 'short', password: token };
  return undefined;
}

/** The substrings that must never show up in output: the whole token and its password part. */
export function tokenSecrets(text: string): string[] {
  const token = parseK3sToken(text);
  const whole = text.trim();
  if (!token) return whole ? [whole] : [];
  if (token.form === 'secure') return [whole, token.password];
  if (token.form === 'bootstrap') return [whole, token.secret];
  return [whole];
}
