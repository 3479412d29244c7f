import { describe, expect, it } from 'vitest';
import { atomicWriteScript, readFileScript, wrapCommand, wrapStdin } from '../../src/ssh/remote-scripts.js';

describe('sudo wrapping', () => {
  it('runs as root without sudo, with sudo -n, or with the password on stdin only', () => {
    expect(wrapCommand("echo 'hi'", undefined)).toBe(`sh -c 'echo '\\''hi'\\'''`);
    expect(wrapCommand('id -u', { kind: 'root' })).toBe("sh -c 'id -u'");
    expect(wrapCommand('id -u', { kind: 'no-password' })).toBe("sudo -n sh -c 'id -u'");
    expect(wrapCommand('id -u', { kind: 'password' })).toBe(
      "if sudo -n true 2>/dev/null; then IFS= read -r _ || true; exec sudo -n sh -c 'id -u'; else exec sudo -S -p '' sh -c 'id -u'; fi",
    );
  });

  it('puts the password first on stdin and never in the command', () => {
    expect(wrapStdin('data\n', { kind: 'password' }, 's3cret')).toBe('s3cret\ndata\n');
    expect(wrapStdin(undefined, { kind: 'password' }, 's3cret')).toBe('s3cret\n');
    expect(wrapStdin('data\n', { kind: 'no-password' }, 's3cret')).toBe('data\n');
    expect(wrapCommand('x', { kind: 'password' })).not.toContain('s3cret');
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
