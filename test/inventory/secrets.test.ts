import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readSecret } from '../../src/inventory/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kb-secret-'));

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('did not throw');
}

describe('readSecret', () => {
  it('reads an environment variable', () => {
    expect(readSecret({ env: 'PW' }, dir, { PW: 's3cret' })).toBe('s3cret');
  });

  it('reads a file relative to the inventory, trimmed', () => {
    writeFileSync(join(dir, 'pw'), '  s3cret\n');
    chmodSync(join(dir, 'pw'), 0o600);
    expect(readSecret({ file: 'pw' }, dir, {})).toBe('s3cret');
    expect(readSecret({ file: join(dir, 'pw') }, '/elsewhere', {})).toBe('s3cret');
  });

  it('names the variable when it is unset, with the node', () => {
    const e = thrown(() => readSecret({ env: 'KB_UNSET' }, dir, {}, { what: 'password', node: 'knode1' }));
    expect(e.message).toBe('the password comes from environment variable KB_UNSET, which is not set');
    expect(e.where).toEqual({ node: 'knode1' });
  });

  it('names the file when it is missing or empty, never the content', () => {
    expect(thrown(() => readSecret({ file: 'nope' }, dir, {})).message).toBe(`cannot read the secret file ${join(dir, 'nope')} (ENOENT)`);
    writeFileSync(join(dir, 'empty'), '\n');
    expect(thrown(() => readSecret({ file: 'empty' }, dir, {})).message).toMatch(/is empty$/);
  });

  it('refuses a reference with neither env nor file', () => {
    expect(thrown(() => readSecret({}, dir, {})).message).toMatch(/neither an environment variable nor a file/);
  });
});
