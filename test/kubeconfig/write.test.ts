import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupPathFor, writeKubeconfig } from '../../src/kubeconfig/write.js';
import { expandHome } from '../../src/inventory/paths.js';
import { resolveKubeconfigPath } from '../../src/kubeconfig/paths.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('writeKubeconfig', () => {
  it('creates the directory 0700 and the file 0600', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kb-home-'));
    const path = join(home, '.kube', 'config');
    const result = await writeKubeconfig(path, 'apiVersion: v1\n', { backup: true });
    expect(result).toEqual({ path, backupPath: undefined });
    expect(mode(join(home, '.kube'))).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('apiVersion: v1\n');
  });

  it('backs up an existing file with a timestamp, replaces it atomically and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-kube-'));
    const path = join(dir, 'config');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    const now = new Date('2025-03-01T10:20:30.456Z');
    const result = await writeKubeconfig(path, 'new\n', { backup: true, now });
    expect(result.backupPath).toBe(join(dir, 'config.kbootstrap-backup-2025-03-01T10-20-30.456Z'));
    expect(readFileSync(result.backupPath!, 'utf8')).toBe('old\n');
    expect(mode(result.backupPath!)).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(mode(path)).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['config', 'config.kbootstrap-backup-2025-03-01T10-20-30.456Z']);
  });

  it('skips the backup when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-kube-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'own'), 'old');
    expect((await writeKubeconfig(join(dir, 'own'), 'x', { backup: false })).backupPath).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['own']);
  });

  it('names backups after the file', () => {
    expect(backupPathFor('/h/.kube/config', new Date('2025-01-02T03:04:05.000Z'))).toBe('/h/.kube/config.kbootstrap-backup-2025-01-02T03-04-05.000Z');
  });
});

describe('resolveKubeconfigPath', () => {
  it('expands ~ and uses the first $KUBECONFIG entry only when merging into the default', () => {
    const env = { KUBECONFIG: ':/k/one:/k/two' };
    expect(resolveKubeconfigPath('~/.kube/config', { merge: true, env: {}, home: '/h' })).toBe('/h/.kube/config');
    expect(resolveKubeconfigPath('~/.kube/config', { merge: true, env, home: '/h' })).toBe('/k/one');
    expect(resolveKubeconfigPath('~/.kube/config', { merge: false, env, home: '/h' })).toBe('/h/.kube/config');
    expect(resolveKubeconfigPath('~/pilab.yaml', { merge: true, env, home: '/h' })).toBe('/h/pilab.yaml');
    expect(resolveKubeconfigPath('out/kc', { merge: false, env: {}, home: '/h', cwd: '/w' })).toBe('/w/out/kc');
    expect(expandHome('~', '/h')).toBe('/h');
    expect(expandHome('/abs/~x', '/h')).toBe('/abs/~x');
  });
});
