import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { connectNode } from '../../src/ssh/connect.js';
import { forgetHostKey } from '../../src/ssh/known-hosts.js';
import { freePort, localSshdUnavailable, startLocalSshd, type LocalSshd } from '../support/local-sshd.js';
import { connectAsRoot, localNode, testConnectOptions } from './fixtures.js';

const skip = localSshdUnavailable();

async function failure(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe.skipIf(skip)(`connect to a local sshd${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: LocalSshd;
  beforeAll(async () => {
    sshd = await startLocalSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('logs in with a key, learns the host key on first use, then accepts it silently', async () => {
    const first = await connectAsRoot(sshd);
    expect(await first.t.run('id -un')).toBe('root\n');
    await first.t.close();
    expect(first.opts.rec.learned).toHaveLength(1);
    const learned = first.opts.rec.learned[0]!;
    expect(learned.fingerprint).toBe(sshd.hostFingerprint());
    expect(learned.keyType).toBe('ssh-ed25519');
    expect(readFileSync(learned.file, 'utf8')).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 \\S+\\n$`));

    const second = await connectAsRoot(sshd);
    expect(await second.t.run('echo ok')).toBe('ok\n');
    await second.t.close();
    expect(second.opts.rec.learned).toHaveLength(0);
  });

  it('counts one connection for many commands', async () => {
    const { t } = await connectAsRoot(sshd);
    for (let i = 0; i < 10; i++) await t.exec(`echo ${i}`);
    await t.readFile('/etc/hostname');
    expect(t.stats).toEqual({ connections: 1, execs: 11 });
    await t.close();
  });

  it('logs in with a password from an env variable and registers it as a secret', async () => {
    const opts = testConnectOptions(sshd, { env: { KB_PW: sshd.user.password } });
    const t = await connectNode(localNode(sshd, { user: sshd.user.name, password: { env: 'KB_PW' } }), opts);
    expect(await t.run('id -un')).toBe(`${sshd.user.name}\n`);
    expect(opts.rec.secrets).toContain(sshd.user.password);
    await t.close();
  });

  it('refuses a wrong password without printing it', async () => {
    const wrong = 'Wr0ng-S3cret-xyz';
    const opts = testConnectOptions(sshd, { env: { KB_PW: wrong } });
    const err = await failure(connectNode(localNode(sshd, { user: sshd.user.name, password: { env: 'KB_PW' } }), opts));
    expect(err.message).toBe(`authentication failed for ${sshd.user.name}@127.0.0.1:${sshd.port} (node node1)`);
    expect(err.where).toEqual({ node: 'node1' });
    expect(`${err.message} ${err.hint} ${err.stack}`).not.toContain(wrong);
  });

  it('fails fast and clearly on a port where nothing listens', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await failure(connectNode(localNode(sshd, { port, privateKey: sshd.rootKey }), testConnectOptions(sshd)));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err.message).toBe(`cannot connect to node1 at 127.0.0.1:${port}: connection refused`);
    expect(err.hint).toMatch(/powered on/);
  });

  it('reconnects on the same object to the new address, recording the key for that address too', async () => {
    const { t, opts } = await connectAsRoot(sshd);
    expect(await t.run('echo before')).toBe('before\n');
    await t.reconnect!(sshd.otherHost);
    expect(await t.run('echo after')).toBe('after\n');
    expect(t.stats).toEqual({ connections: 2, execs: 2 });
    expect(opts.rec.learned.map((l) => `${l.host}:${l.port}`)).toEqual([`${sshd.otherHost}:${sshd.port}`]);
    expect(opts.rec.learned[0]!.fingerprint).toBe(sshd.hostFingerprint());
    await t.reconnect!();
    expect(await t.run('echo same')).toBe('same\n');
    expect(t.stats?.connections).toBe(3);
    await t.close();
  });
});

describe.skipIf(skip)(`host key changes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: LocalSshd;
  beforeAll(async () => {
    sshd = await startLocalSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('refuses a changed key before authenticating, naming both fingerprints and the fix', async () => {
    const oldFp = sshd.hostFingerprint();
    const first = await connectAsRoot(sshd);
    await first.t.close();
    await sshd.restartWithNewHostKey();
    const newFp = sshd.hostFingerprint();
    expect(newFp).not.toBe(oldFp);

    const opts = testConnectOptions(sshd);
    const err = await failure(connectNode(localNode(sshd, { privateKey: sshd.rootKey }), opts));
    expect(err.message).toContain(`host key of node1 (127.0.0.1:${sshd.port}) has CHANGED`);
    expect(err.message).toContain(oldFp);
    expect(err.message).toContain(newFp);
    expect(err.hint).toContain('kbootstrap known-hosts forget node1');
    const file = first.opts.rec.learned[0]!.file;
    expect(err.hint).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f '${file}'`);
    expect(opts.rec.learned).toHaveLength(0);

    // Accepting the new key is forgetting the old one.
    expect(await forgetHostKey(file, '127.0.0.1', sshd.port)).toBe(1);
    const again = await connectAsRoot(sshd);
    expect(again.opts.rec.learned.map((l) => l.fingerprint)).toEqual([newFp]);
    await again.t.close();
  });

  it('refuses a changed key for password logins too, without sending the password', async () => {
    // The key is refused during key exchange: the server never sees an auth attempt. Proven by the
    // error kind (host key, not authentication) with a password that would be wrong anyway.
    const first = await connectAsRoot(sshd);
    await first.t.close();
    await sshd.restartWithNewHostKey();
    const opts = testConnectOptions(sshd, { env: { KB_PW: 'never-sent' } });
    const err = await failure(connectNode(localNode(sshd, { user: sshd.user.name, password: { env: 'KB_PW' } }), opts));
    expect(err.message).toContain('has CHANGED');
    expect(err.message).not.toContain('never-sent');
  });
});
