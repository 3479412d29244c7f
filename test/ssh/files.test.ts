import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { connectNode } from '../../src/ssh/connect.js';
import type { Transport } from '../../src/ssh/transport.js';
import { localSshdUnavailable, startLocalSshd, type LocalSshd } from '../support/local-sshd.js';
import { connectAsRoot, localNode, scratchDir, testConnectOptions } from './fixtures.js';

const skip = localSshdUnavailable();

/** Files the atomic write may leave behind if it is not careful. */
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('kbootstrap-tmp'));

describe.skipIf(skip)(`files on a node${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: LocalSshd;
  let root: Transport;
  let backupDir: string;
  let scratch: ReturnType<typeof scratchDir>;
  beforeAll(async () => {
    sshd = await startLocalSshd();
    const c = await connectAsRoot(sshd);
    root = c.t;
    backupDir = c.opts.backupDir!;
    scratch = scratchDir();
  });
  afterAll(async () => {
    await root?.close();
    try {
      execFileSync('umount', [join(scratch.dir, 'small')], { stdio: 'ignore' });
    } catch {
      /* not mounted */
    }
    scratch?.remove();
    await sshd?.stop();
  });

  it('replaces a file atomically, backing the original up once with its mode', async () => {
    const target = join(scratch.dir, 'etc', 'hosts');
    mkdirSync(join(scratch.dir, 'etc'));
    writeFileSync(target, 'original\n', { mode: 0o640 });
    await root.writeFile(target, 'first change\n', { backup: true });
    expect(readFileSync(target, 'utf8')).toBe('first change\n');
    expect(statSync(target).mode & 0o777).toBe(0o640); // kept when no mode is given
    const backup = join(backupDir, target);
    expect(readFileSync(backup, 'utf8')).toBe('original\n');
    expect(statSync(backup).mode & 0o777).toBe(0o640);
    expect(statSync(backupDir).mode & 0o777).toBe(0o700);

    await root.writeFile(target, 'second change\n', { backup: true, mode: 0o600 });
    expect(readFileSync(target, 'utf8')).toBe('second change\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readFileSync(backup, 'utf8')).toBe('original\n'); // the first original stays
    expect(leftovers(join(scratch.dir, 'etc'))).toEqual([]);
  });

  it('marks a file that did not exist before, so reset can delete it', async () => {
    const target = join(scratch.dir, 'new', 'dir', 'k3s.conf');
    await root.writeFile(target, 'x: 1\n', { backup: true, mode: 0o644, owner: 'root:root' });
    expect(readFileSync(target, 'utf8')).toBe('x: 1\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(existsSync(join(backupDir, `${target}.absent`))).toBe(true);
    expect(existsSync(join(backupDir, target))).toBe(false);
  });

  it('writes bytes exactly (no trailing newline, unicode, quotes), through sudo with a password', async () => {
    const opts = testConnectOptions(sshd, { env: { KB_PW: sshd.user.password } });
    const t = await connectNode(localNode(sshd, { user: sshd.user.name, password: { env: 'KB_PW' } }), opts);
    const target = join(scratch.dir, 'exact');
    const content = `a'b"c $(x) \`y\` ünï\n${'z'.repeat(5000)}`;
    await t.writeFile(target, content);
    expect(readFileSync(target, 'utf8')).toBe(content);
    expect(statSync(target).uid).toBe(0);
    expect(await t.readFile(target)).toBe(content);
    await t.close();
  });

  it('reads a root-only file through sudo and returns undefined for a missing one', async () => {
    const opts = testConnectOptions(sshd, { env: { KB_PW: sshd.user.password } });
    const t = await connectNode(localNode(sshd, { user: sshd.user.name, password: { env: 'KB_PW' } }), opts);
    const secret = join(scratch.dir, 'root-only');
    writeFileSync(secret, 'token=abc\n', { mode: 0o600 });
    expect((await t.exec(`cat ${secret}`)).code).not.toBe(0);
    expect(await t.readFile(secret)).toBe('token=abc\n');
    expect(await t.readFile(join(scratch.dir, 'missing'))).toBeUndefined();
    await t.close();
  });

  it('leaves the target as it was and no temp file when the disk is full', async () => {
    const small = join(scratch.dir, 'small');
    mkdirSync(small);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]);
    const target = join(small, 'config.txt');
    writeFileSync(target, 'gpu_mem=64\n');
    const err = await root.writeFile(target, 'x'.repeat(512 * 1024)).then(
      () => undefined,
      (e: unknown) => e as UserError,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err!.message).toBe(`disk full on node1 during: write ${target}`);
    expect(readFileSync(target, 'utf8')).toBe('gpu_mem=64\n');
    expect(leftovers(small)).toEqual([]);
  });

  it('leaves the target as it was and no temp file when the rename fails', async () => {
    // A non-empty directory in the way: mv -T cannot replace it.
    const target = join(scratch.dir, 'in-the-way');
    mkdirSync(target);
    writeFileSync(join(target, 'keep'), 'keep\n');
    const err = await root.writeFile(target, 'new\n').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(new RegExp(`^write ${target} failed on node1 \\(exit 1\\): .*`));
    expect(readFileSync(join(target, 'keep'), 'utf8')).toBe('keep\n');
    expect(leftovers(scratch.dir)).toEqual([]);
  });

  it('uploads a large file atomically with its mode, cleaning up the staging copy', async () => {
    const local = join(sshd.dir, 'k3s-like');
    const data = randomBytes(24 * 1024 * 1024);
    writeFileSync(local, data);
    const target = join(scratch.dir, 'bin', 'k3s');
    const before = readdirSync('/tmp').filter((f) => f.startsWith('kbootstrap-upload'));
    await root.upload(local, target, { mode: 0o755 });
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(hash(readFileSync(target))).toBe(hash(data));
    expect(statSync(target).mode & 0o777).toBe(0o755);
    expect(readdirSync('/tmp').filter((f) => f.startsWith('kbootstrap-upload'))).toEqual(before);
    expect(leftovers(join(scratch.dir, 'bin'))).toEqual([]);
  });
});
