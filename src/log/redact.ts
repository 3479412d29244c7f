/**
 * Secret redaction, applied once in Logger.emit before any view sees an event. Pure functions so the
 * rule is tested on its own: every occurrence of every registered secret, in every string anywhere in
 * the event (messages, details, diffs, table cells, result data), becomes `***`.
 */
export const REDACTED = '***';

/** Secrets shorter than this are ignored: masking "a" or "pi" would shred every line. */
export const MIN_SECRET_LENGTH = 4;

/** The forms of a secret worth masking: as given, and trimmed (files often end in a newline). */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>();
  for (const v of [secret, secret.trim()]) {
    if (v.length >= MIN_SECRET_LENGTH) variants.add(v);
  }
  // A multi-line secret (private key, certificate) may be printed one line at a time.
  if (secret.includes('\n')) {
    for (const line of secret.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length >= 16) variants.add(t);
    }
  }
  return [...variants];
}

export function redactString(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length === 0) return text;
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length > 0 && out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

/** Deep copy of `value` with every string (and object key) redacted. Cycles are cut, not followed. */
export function redactDeep<T>(value: T, secrets: readonly string[], seen = new WeakSet<object>()): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactString(value, secrets) as T;
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message, secrets) } as T;
  }
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]' as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets, seen)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redactString(k, secrets)] = redactDeep(v, secrets, seen);
  return out as T;
}
