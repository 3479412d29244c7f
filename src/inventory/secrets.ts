import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { resolveUserPath } from './paths.js';
import type { SecretRef } from './schema.js';

/**
 * The secret a reference points at: the environment variable's value, or the file's content trimmed.
 * Errors name the variable or the file, never the value. `what` and `node` only shape the message.
 */
export function readSecret(ref: SecretRef, baseDir: string, env: NodeJS.ProcessEnv = process.env, label: { what?: string; node?: string } = {}): string {
  const what = label.what ?? 'secret';
  const where = label.node ? { node: label.node } : undefined;
  if (ref.env !== undefined) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      throw new UserError(`the ${what} comes from environment variable ${ref.env}, which is not set`, {
        where,
        hint: `export ${ref.env} before running kbootstrap (e.g. read -rs ${ref.env} && export ${ref.env})`,
      });
    }
    return value;
  }
  if (ref.file !== undefined) {
    const path = resolveUserPath(ref.file, baseDir);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new UserError(`cannot read the ${what} file ${path} (${code})`, { where, hint: 'create the file (mode 0600) or fix the path in the inventory' });
    }
    const value = content.trim();
    if (value === '') throw new UserError(`the ${what} file ${path} is empty`, { where, hint: 'write the secret into it' });
    return value;
  }
  throw new UserError(`the ${what} reference names neither an environment variable nor a file`, { where, hint: 'give { env: NAME } or { file: path }' });
}

/** A `{ env: NAME }` or `{ file: path }` value inside free-form settings (k3s.serverArgs/agentArgs). */
export function isSecretRefValue(value: unknown): value is SecretRef {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'env' || keys[0] === 'file') && typeof (value as Record<string, unknown>)[keys[0]] === 'string';
}
