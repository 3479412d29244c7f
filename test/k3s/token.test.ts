import { describe, expect, it } from 'vitest';
import { isValidK3sToken, parseK3sToken, redactSecrets, redactToken, tokenSecrets } from '../../src/k3s/token.js';

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
    expect(isValidK3sToken('')).toBe(false);
    expect(isValidK3sToken('two words')).toBe(false);
    expect(isValidK3sToken(`K10${CA.slice(2)}::server:x`)).toBe(false);
    expect(isValidK3sToken('K10zz::server:x')).toBe(false);
    expect(isValidK3sToken(SERVER)).toBe(true);
  });

  it('redacts every secret part', () => {
    expect(redactToken(SERVER)).toBe('K100f0f0f0f…::server:***');
    expect(redactToken('mysecret')).toBe('***');
    expect(redactToken('abcdef.0123456789abcdef')).toBe('abcdef.***');
    expect(redactToken('not a token')).toBe('***');
  });

  it('lists the secrets to scrub and scrubs them from output', () => {
    expect(tokenSecrets(SERVER)).toEqual([SERVER, '4b1c0e2d9f8a7b6c5d4e3f2a1b0c9d8e']);
    const output = `token: ${SERVER}\npassword 4b1c0e2d9f8a7b6c5d4e3f2a1b0c9d8e again`;
    expect(redactSecrets(output, tokenSecrets(SERVER))).toBe('token: ***\npassword *** again');
  });
});
