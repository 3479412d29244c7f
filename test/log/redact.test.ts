import { describe, expect, it } from 'vitest';
import { redactDeep, redactString, secretVariants } from '../../src/log/redact.js';

describe('redactString', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redactString('token=K10abc::server:s3cr3t; again s3cr3t', ['s3cr3t'])).toBe('token=K10abc::server:***; again ***');
  });
  it('masks the longer secret whole when one contains another', () => {
    expect(redactString('pw hunter2hunter2', ['hunter2', 'hunter2hunter2'])).toBe('pw ***');
  });
  it('leaves text without secrets untouched', () => {
    expect(redactString('nothing here', ['s3cr3t'])).toBe('nothing here');
  });
});

describe('secretVariants', () => {
  it('adds the trimmed form and ignores secrets too short to mask safely', () => {
    expect(secretVariants('s3cr3t\n')).toEqual(['s3cr3t\n', 's3cr3t']);
    expect(secretVariants('pi')).toEqual([]);
  });
  it('adds the long lines of a multi-line secret such as a private key', () => {
    const key = '-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ\n-----END KEY-----';
    expect(secretVariants(key)).toContain('AAAAB3NzaC1yc2EAAAADAQABAAABAQ');
  });
});

describe('redactDeep', () => {
  it('redacts strings at any depth, in arrays and keys, without touching the input', () => {
    const input = { a: 's3cr3t', b: [{ c: 'x s3cr3t y' }], s3cr3t: 1, n: 5, t: true, z: null };
    const out = redactDeep(input, ['s3cr3t']);
    expect(out).toEqual({ a: '***', b: [{ c: 'x *** y' }], '***': 1, n: 5, t: true, z: null });
    expect(input.a).toBe('s3cr3t');
  });
  it('turns Error objects into redacted plain data', () => {
    expect(redactDeep({ e: new Error('auth failed for s3cr3t') }, ['s3cr3t'])).toEqual({ e: { name: 'Error', message: 'auth failed for ***' } });
  });
  it('cuts cycles', () => {
    const a: Record<string, unknown> = { x: 's3cr3t' };
    a.self = a;
    expect(redactDeep(a, ['s3cr3t'])).toEqual({ x: '***', self: '[circular]' });
  });
});
