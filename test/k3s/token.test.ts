import { describe, expect, it } from 'vitest';
import { parseK3sToken, tokenSecrets } from '../../src/k3s/token.js';

const CA = '0f'.repeat(32);
const SERVER = `K10${CA}::server:4b1c0e2d9f8a7b6c5d4e3f2a1b0c9d8e`;
const NODE = `K10${CA}::node:9d8e7f6a5b4c3d2e1f0a`;

describe('k3s tokens', () => {
  it('parses the secure server and node forms', () => {
    expect(parseK3sToken(`${SERVER}\n`)).toEqual({ form: 'secure', caHash: CA, user: 'server', password: '4b1c0e2d9f8a7b6c5d4e3f2a1b0c9d8e' });
    expect(parseK3sToken(NODE)).toMatchObject({ form: 'secure', user: 'node', password: '9d8e7f6a5b4c3d2e1f0a' });
  });

  it('parses the short and bootstrap forms', () => {
    expect(parseK3sToken('mysecret')).toEqual({ form: 'short', password: 'mysecret' });
    expect(parseK3sToken('abcdef.0123456789abcdef')).toEqual({ form: 'bootstrap', id: 'abcdef', secret: '0123456789abcdef' });
  });

  it('rejects empty, spaced and broken secure tokens', () => {
    expect(parseK3sToken('')).toBeUndefined();
    expect(parseK3sToken('two words')).toBeUndefined();
    expect(parseK3sToken(`K10${CA.slice(2)}::server:x`)).toBeUndefined();
    expect(parseK3sToken('K10zz::server:x')).toBeUndefined();
    expect(parseK3sToken(SERVER)).toBeDefined();
  });

  it('lists the secrets the logger must scrub: the whole token and its password', () => {
    expect(tokenSecrets(SERVER)).toEqual([SERVER, '4b1c0e2d9f8a7b6c5d4e3f2a1b0c9d8e']);
    expect(tokenSecrets(NODE)).toEqual([NODE, '9d8e7f6a5b4c3d2e1f0a']);
  });
});
