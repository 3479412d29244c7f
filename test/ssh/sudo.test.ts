import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';
import { connectNode, installKey } from '../../src/ssh/connect.js';
import { NodeCommandError } from '../../src/ssh/errors.js';
import type { Transport } from '../../src/ssh/transport.js';
import { localSshdUnavailable, startLocalSshd, type LocalSshd } from '../support/local-sshd.js';
import { localNode, testConnectOptions } from './fixtures.js';

const skip = localSshdUnavailable();

describe.skipIf(skip)(`sudo${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: LocalSshd;
  const open: Transport[] = [];
  beforeAll(async () => {
    sshd = await startLocalSshd();
  });
  afterAll(async () => {
    for (const t of open) await t.close();
    await sshd?.stop();
  });

  async function loginAs(user: string, password: string, sudoPassword?: string): Promise<Transport> {
    const env = { KB_PW: password, KB_SUDO: sudoPassword ?? '' };
    const node = localNode(sshd, {
      user,
      password: { env: 'KB_PW' },
      ...(sudoPassword !== undefined ? { sudoPassword: { env: 'KB_SUDO' } } : {}),
    });
    const t = await connectNode(node, testConnectOptions(sshd, { env }));
    open.push(t);
    return t;
  }

  it('runs as root with the right password, and the command still gets its own stdin', async () => {
    const t = await loginAs(sshd.user.name, sshd.user.password);
    expect(await t.run('id -u', { sudo: true })).toBe('0\n');
    expect(await t.run('cat', { sudo: true, stdin: 'line one\nline two\n' })).toBe('line one\nline two\n');
    // Without sudo it is the login user.
    expect(await t.run('id -un')).toBe(`${sshd.user.name}\n`);
  });

  it('rejects a wrong sudo password with a clear error and never shows it', async () => {
    const wrong = 'not-the-sudo-pw-42';
    const t = await loginAs(sshd.user.name, sshd.user.password, wrong);
    const err = await t.exec('id -u', { sudo: true }).then(
      () => undefined,
      (e: unknown) => e as UserError,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err!.message).toBe('sudo password rejected on node1');
    expect(err!.hint).toMatch(/sudoPassword/);
    expect(`${err!.message}${err!.hint}${err!.stack}`).not.toContain(wrong);
  });

  it('does not feed the password to the command when sudo turns out not to need it (NOPASSWD)', async () => {
    const t = await loginAs(sshd.nopwUser.name, sshd.nopwUser.password);
    expect(await t.run('cat', { sudo: true, stdin: 'payload\n' })).toBe('payload\n');
    expect(await t.run('id -u', { sudo: true })).toBe('0\n');
  });

  it('installs a key on first contact, logs in with it later, and then sudo without a password says what to set', async () => {
    const opts = testConnectOptions(sshd, { env: { KB_PW: sshd.user.password } });
    const first = await connectNode(localNode(sshd, { user: sshd.user.name, password: { env: 'KB_PW' }, installKey: sshd.rootPublicKey }), opts);
    open.push(first);
    const keys = await first.run('cat ~/.ssh/authorized_keys; stat -c %a ~/.ssh ~/.ssh/authorized_keys');
    const pub = readFileSync(sshd.rootPublicKey, 'utf8').trim();
    expect(keys).toBe(`${pub}\n700\n600\n`);
    // Installing again adds nothing.
    expect(await installKey(first, sshd.rootPublicKey)).toBe(false);
    expect(await first.run('wc -l < ~/.ssh/authorized_keys')).toBe('1\n');

    // Key only, no password at all: sudo -n must fail fast, not hang waiting for one.
    const t = await connectNode(localNode(sshd, { user: sshd.user.name, privateKey: sshd.rootKey }), testConnectOptions(sshd));
    open.push(t);
    expect(await t.run('id -un')).toBe(`${sshd.user.name}\n`);
    const err = await t.exec('id -u', { sudo: true }).then(
      () => undefined,
      (e: unknown) => e as UserError,
    );
    expect(err?.message).toBe(`sudo on node1 needs a password for "${sshd.user.name}"`);
  });

  it('warns loudly about a factory password', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('chpasswd', [], { input: `${sshd.nopwUser.name}:${sshd.nopwUser.name}\n` });
    const opts = testConnectOptions(sshd, { env: { KB_PW: sshd.nopwUser.name } });
    const t = await connectNode(localNode(sshd, { user: sshd.nopwUser.name, password: { env: 'KB_PW' } }), opts);
    open.push(t);
    expect(opts.rec.warnings).toHaveLength(1);
    expect(opts.rec.warnings[0]).toContain(`node1 still accepts the factory password for "${sshd.nopwUser.name}"`);
    execFileSync('chpasswd', [], { input: `${sshd.nopwUser.name}:${sshd.nopwUser.password}\n` });
  });

  it('run() throws a NodeCommandError with node, description and stderr tail, but no stdin', async () => {
    const t = await loginAs(sshd.user.name, sshd.user.password);
    const err = await t.run('echo oops >&2; exit 3', { sudo: true, stdin: 'secret-stdin-content\n', description: 'do the thing' }).then(
      () => undefined,
      (e: unknown) => e as NodeCommandError,
    );
    expect(err).toBeInstanceOf(NodeCommandError);
    expect(err!.message).toBe('do the thing failed on node1 (exit 3): oops');
    expect(err!.where).toEqual({ node: 'node1' });
    expect(err!.message).not.toContain('secret-stdin-content');
    expect(err!.message).not.toContain(sshd.user.password);
    // exec never throws for a non-zero exit.
    expect((await t.exec('exit 5', { sudo: true })).code).toBe(5);
  });
});
