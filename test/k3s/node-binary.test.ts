import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildNodeDownloadCommand, buildSha256Command, buildVerifySha256Command, parseSha256Output } from '../../src/k3s/node-binary.js';
import { startFakeRelease, type FakeRelease } from './release-server.js';

const VERSION = 'v1.31.4+k3s1';

/** Async on purpose: the fake release server runs in this process, so a sync spawn would deadlock. */
function runSh(script: string): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', script], { timeout: 20_000 }, (err, _stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe('sha256 on the node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-sha-'));
  const file = join(dir, "k3s with 'quote");
  writeFileSync(file, 'content');
  const expected = createHash('sha256').update('content').digest('hex');

  it('builds a sha256sum command whose output parses to the file hash', () => {
    expect(buildSha256Command('/usr/local/bin/k3s')).toBe('sha256sum -- /usr/local/bin/k3s');
    const out = execFileSync('sh', ['-c', buildSha256Command(file)], { encoding: 'utf8' });
    expect(parseSha256Output(out)).toBe(expected);
  });

  it('parses nothing from an error message', () => {
    expect(parseSha256Output('sha256sum: /x: No such file or directory\n')).toBeUndefined();
  });

  it('verify command fails on a wrong hash and passes on the right one', () => {
    expect(spawnSync('sh', ['-c', buildVerifySha256Command(file, expected)]).status).toBe(0);
    expect(spawnSync('sh', ['-c', buildVerifySha256Command(file, 'e'.repeat(64))]).status).not.toBe(0);
  });
});

describe('buildNodeDownloadCommand run by sh against 127.0.0.1', () => {
  let release: FakeRelease;
  let dir: string;
  beforeEach(async () => {
    release = await startFakeRelease(VERSION);
    dir = mkdtempSync(join(tmpdir(), 'kb-nodedl-'));
  });
  afterEach(() => release.close());

  it('puts the verified binary in place with mode 755', async () => {
    const target = join(dir, 'k3s');
    const r = await runSh(buildNodeDownloadCommand(VERSION, 'arm64', release.baseUrl, target));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(target).equals(release.binaries['k3s-arm64']!)).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o755);
    expect(existsSync(`${target}.kbootstrap-download`)).toBe(false);
  });

  it('refuses a wrong checksum and leaves nothing behind', async () => {
    release.lieAboutHash = 'f'.repeat(64);
    const target = join(dir, 'k3s');
    const r = await runSh(buildNodeDownloadCommand(VERSION, 'amd64', release.baseUrl, target));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`expected ${'f'.repeat(64)}`);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.kbootstrap-download`)).toBe(false);
  });
});
