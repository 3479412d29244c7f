import { chmod, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
import { Document } from 'yaml';
import { InternalError, UserError } from '../errors.js';
import { packageSchemaPath } from './json-schema.js';
import { InventorySchema, type InventoryInput } from './schema.js';

export interface StringifyOptions {
  /** What the `# yaml-language-server: $schema=` line points at. Default: the package's schema file. */
  schemaRef?: string;
  /** One more comment line under the schema line (e.g. the wizard's mark on an unfinished file). */
  comment?: string;
}

/** Clean YAML for an inventory, headed by the editor schema line. Refuses anything invalid or secret. */
export function stringifyInventory(inv: InventoryInput, opts: StringifyOptions = {}): string {
  assertNoLiteralSecrets(inv);
  const check = InventorySchema.safeParse(inv);
  if (!check.success) {
    const where = check.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new UserError(`refusing to write an invalid inventory: ${where}`, { hint: 'fix the answers or the values passed in, then write again' });
  }
  const { $schema: _ignored, ...body } = inv;
  const doc = new Document(body);
  doc.commentBefore = ` yaml-language-server: $schema=${opts.schemaRef ?? packageSchemaPath()}${opts.comment ? `\n ${opts.comment}` : ''}`;
  return doc.toString({ lineWidth: 0 });
}

/** Where the schema line of an inventory written at `file` should point: the package's copy, relative. */
export function schemaRefFor(file: string): string {
  const rel = relative(dirname(file), packageSchemaPath());
  if (isAbsolute(rel)) return rel;
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Writes the inventory atomically, mode 0644 (it never holds secrets, only where they come from). */
export async function writeInventory(inv: InventoryInput, file: string, opts: StringifyOptions = {}): Promise<void> {
  await writeInventoryText(stringifyInventory(inv, { ...opts, schemaRef: opts.schemaRef ?? schemaRefFor(file) }), file);
}

/** Writes text made by stringifyInventory atomically, mode 0644. */
export async function writeInventoryText(text: string, file: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o644 });
  await chmod(tmp, 0o644);
  await rename(tmp, file);
}

const SECRET_KEYS = new Set(['password', 'sudoPassword']);

/** A password may only be a { env } or { file } reference; anything else is a bug in the caller. */
export function assertNoLiteralSecrets(value: unknown, path: string[] = []): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoLiteralSecrets(v, [...path, String(i)]));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(key) && v !== undefined && !isSecretRef(v)) {
      throw new InternalError(`refusing to write a literal secret at ${[...path, key].join('.')}: only { env } or { file } references belong in an inventory`);
    }
    assertNoLiteralSecrets(v, [...path, key]);
  }
}

function isSecretRef(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  return entries.length === 1 && (entries[0]![0] === 'env' || entries[0]![0] === 'file') && typeof entries[0]![1] === 'string';
}
