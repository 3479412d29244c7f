import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { SecretRef } from '../inventory/schema.js';

/** `~/x` → the home directory; relative paths against `baseDir`. */
export function expandPath(path: string, baseDir: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Reads a secret from its reference (environment variable or file, trimmed). Minimal local version for
 * the SSH layer; the inventory's readSecret replaces it once it exists.
 */
export async function readSecretRef(ref: SecretRef, baseDir: string, env: NodeJS.ProcessEnv, what: string, node: string): Promise<string> {
  if (ref.env !== undefined) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      throw new UserError(`the ${what} for ${node} comes from $${ref.env}, which is not set`, {
        where: { node },
        hint: `Export ${ref.env} before running kbootstrap (e.g. read -rs ${ref.env} && export ${ref.env}).`,
      });
    }
    return value;
  }
  if (ref.file !== undefined) {
    const path = expandPath(ref.file, baseDir);
    try {
      return (await fs.readFile(path, 'utf8')).trim();
    } catch (err) {
      throw new UserError(`cannot read the ${what} for ${node} from ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
        where: { node },
        hint: 'Create the file (mode 0600) or fix the path in the inventory.',
        cause: err,
      });
    }
  }
  throw new UserError(`the ${what} for ${node} names neither an env variable nor a file`, { where: { node } });
}
