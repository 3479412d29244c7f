import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprint,
  forgetCommand,
  forgetHostKey,
  hostPattern,
  keyTypeOf,
  knownKeys,
  preferredHostKeyAlgorithms,
  recordHostKey,
} from '../../src/ssh/known-hosts.js';

/** An SSH wire-format key blob: string type + opaque bytes (enough for type and fingerprint). */
function blob(type: string, fill: number): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.alloc(36, fill)]);
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kb-kh-'));
  file = join(dir, 'sub', 'known_hosts');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('known hosts', () => {
  it('writes the OpenSSH host field', () => {
    expect(hostPattern('10.0.0.5', 22)).toBe('10.0.0.5');
    expect(hostPattern('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
    expect(forgetCommand('/f', '10.0.0.5', 2222)).toBe("ssh-keygen -R '[10.0.0.5]:2222' -f '/f'");
  });

  it('reads the key type from the blob and fingerprints like ssh-keygen', () => {
    const key = blob('ssh-ed25519', 7);
    expect(keyTypeOf(key)).toBe('ssh-ed25519');
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('learns a new key, then knows it; another key for the same host is a change', async () => {
    const key = blob('ssh-ed25519', 1);
    expect(await checkHostKey(file, '10.0.0.5', 2222, key)).toEqual({ status: 'new' });
    await recordHostKey(file, '10.0.0.5', 2222, key);
    expect(readFileSync(file, 'utf8')).toBe(`[10.0.0.5]:2222 ssh-ed25519 ${key.toString('base64')}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700);
    expect(await checkHostKey(file, '10.0.0.5', 2222, key)).toEqual({ status: 'known' });
    // Same host, other port: unrelated entry.
    expect(await checkHostKey(file, '10.0.0.5', 22, key)).toEqual({ status: 'new' });
    const other = blob('ssh-ed25519', 2);
    const check = await checkHostKey(file, '10.0.0.5', 2222, other);
    expect(check).toEqual({ status: 'changed', known: [{ type: 'ssh-ed25519', base64: key.toString('base64') }] });
  });

  it('matches hashed and comma-separated entries of a user file and forgets them', async () => {
    const key = blob('ecdsa-sha2-nistp256', 3);
    const salt = Buffer.alloc(20, 9);
    const hash = createHmac('sha1', salt).update('pi1.local').digest('base64');
    writeFileSync(
      file.replace('sub/', ''),
      [
        `|1|${salt.toString('base64')}|${hash} ecdsa-sha2-nistp256 ${key.toString('base64')}`,
        `other,10.0.0.9 ssh-ed25519 ${blob('ssh-ed25519', 4).toString('base64')}`,
        '# comment',
        `@cert-authority * ssh-ed25519 ${blob('ssh-ed25519', 5).toString('base64')}`,
      ].join('\n'),
    );
    const f = file.replace('sub/', '');
    expect(await checkHostKey(f, 'pi1.local', 22, key)).toEqual({ status: 'known' });
    expect(await knownKeys(f, '10.0.0.9', 22)).toHaveLength(1);
    expect(await knownKeys(f, 'elsewhere', 22)).toHaveLength(0);
    expect(await forgetHostKey(f, 'pi1.local', 22)).toBe(1);
    expect(await checkHostKey(f, 'pi1.local', 22, key)).toEqual({ status: 'new' });
    expect(readFileSync(f, 'utf8')).toContain('# comment');
    expect(await knownKeys(f, '10.0.0.9', 22)).toHaveLength(1);
    expect(await forgetHostKey(f, 'pi1.local', 22)).toBe(0);
  });

  it('offers known key types first', () => {
    const defaults = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    expect(preferredHostKeyAlgorithms([], defaults)).toEqual(defaults);
    expect(preferredHostKeyAlgorithms([{ type: 'ssh-rsa', base64: '' }], defaults)).toEqual([
      'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256',
    ]);
    expect(preferredHostKeyAlgorithms([{ type: 'ecdsa-sha2-nistp256', base64: '' }], defaults)[0]).toBe('ecdsa-sha2-nistp256');
  });
});
