import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteScript, readFileScript, wrapCommand, wrapStdin } from '../../src/ssh/remote-scripts.js';

describe('sudo wrapping', () => {
  it('runs as root without sudo, with sudo -n, or with one sudo reading the password from stdin', () => {
    expect(wrapCommand("echo 'hi'", undefined)).toBe(`sh -c 'echo '\\''hi'\\'''`);
    expect(wrapCommand('id -u', { kind: 'root' })).toBe("sh -c 'id -u'");
    expect(wrapCommand('id -u', { kind: 'no-password' })).toBe("sudo -n sh -c 'id -u'");
    expect(wrapCommand('id -u', { kind: 'password' }, 'n0nce')).toBe(
      `exec sudo -S -p '' sh -c 'while IFS= read -r kb_line; do [ "$kb_line" = '\\''#kbootstrap-stdin-n0nce'\\'' ] && break; done; id -u'`,
    );
  });

  it('puts the password first on stdin, then the marker, and never the password in the command', () => {
    expect(wrapStdin('data\n', { kind: 'password' }, 's3cret', 'n0nce')).toBe('s3cret\n#kbootstrap-stdin-n0nce\ndata\n');
    expect(wrapStdin(undefined, { kind: 'password' }, 's3cret', 'n0nce')).toBe('s3cret\n#kbootstrap-stdin-n0nce\n');
    expect(wrapStdin('data\n', { kind: 'no-password' }, 's3cret')).toBe('data\n');
    expect(wrapCommand('x', { kind: 'password' }, 'n0nce')).not.toContain('s3cret');
  });

  // A stand-in `sudo` on PATH: with -S it reads the password line (one byte at a time, as sudo does) only
  // when it "asks"; then it runs the command. The real shell runs the wrapping.
  it.each([
    ['asks for the password', 'ask'],
    ['does not ask (NOPASSWD, a cached ticket)', 'noask'],
  ])('the command gets exactly its own stdin when sudo %s', (_what, mode) => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-sudo-'));
    writeFileSync(join(dir, 'sudo'), [
      '#!/bin/sh',
      'while [ "$1" != sh ]; do shift; done',
      `if [ "${mode}" = ask ]; then IFS= read -r pw; [ "$pw" = 's3cret' ] || { echo 'sudo: incorrect password' >&2; exit 1; }; fi`,
      'exec "$@"',
      '',
    ].join('\n'), { mode: 0o755 });
    const r = spawnSync('sh', ['-c', wrapCommand('cat; echo "args:$#"', { kind: 'password' }, 'n0nce')], {
      input: wrapStdin('line one\nline two\n', { kind: 'password' }, 's3cret', 'n0nce'),
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('line one\nline two\nargs:0\n');
  });
});

describe('file scripts', () => {
  it('reads with a distinct exit code for a missing file', () => {
    expect(readFileScript('/boot/firmware/cmdline.txt')).toBe(
      'if [ -e /boot/firmware/cmdline.txt ]; then exec cat -- /boot/firmware/cmdline.txt; else exit 44; fi',
    );
  });

  it('writes through a temp file in the same dir, checks the size, fsyncs, renames', () => {
    const script = atomicWriteScript({ path: "/etc/it's", mode: 0o600, owner: 'root:root', source: { kind: 'stdin-base64' }, expectedSize: 12 });
    expect(script).toContain(`t='/etc/it'\\''s'`);
    expect(script).toContain('tmp=$(mktemp -- "$t.kbootstrap-tmp.XXXXXX")');
    expect(script).toContain('if [ "$size" -ne 12 ]');
    expect(script).toContain('chmod 0600 "$tmp"');
    expect(script).toContain('chown root:root "$tmp"');
    expect(script.indexOf('sync -- "$tmp"')).toBeLessThan(script.indexOf('mv -fT -- "$tmp" "$t"'));
    expect(script).not.toContain('backup');
  });

  it('backs up once (or marks absence) before writing when asked', () => {
    const script = atomicWriteScript({ path: '/etc/hosts', backup: true, source: { kind: 'file', path: '/tmp/up' }, expectedSize: 1 });
    expect(script).toContain("bdir=/var/lib/kbootstrap/backup");
    expect(script).toContain('if [ ! -e "$b" ] && [ ! -e "$b.absent" ]; then');
    expect(script).toContain(': > "$b.absent"');
    expect(script.indexOf('cp -p -- "$t" "$btmp"')).toBeLessThan(script.indexOf('mktemp'));
    expect(script).toContain('cat -- "$src" > "$tmp"');
    expect(script).toContain('chmod --reference="$t" "$tmp"');
  });
});
