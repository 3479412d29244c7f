import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { ConnectionLostError } from '../../src/ssh/errors.js';
import { atomicWriteScript } from '../../src/ssh/remote-scripts.js';
import { localSshdUnavailable, startLocalSshd, type LocalSshd } from '../support/local-sshd.js';
import { connectAsRoot, scratchDir } from './fixtures.js';

const skip = localSshdUnavailable();

describe.skipIf(skip)(`a link that dies mid-run${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sshd: LocalSshd;
  let scratch: ReturnType<typeof scratchDir>;
  beforeAll(async () => {
    sshd = await startLocalSshd();
    scratch = scratchDir();
  });
  afterAll(async () => {
    scratch?.remove();
    await sshd?.stop();
  });

  it('rejects a pending command within the keepalive bound instead of hanging, then reconnects', async () => {
    // keepalive 500 ms × 3 (fixtures): a silent link must be noticed in about 2 s.
    const { t } = await connectAsRoot(sshd);
    const marker = join(scratch.dir, 'started');
    const pending = t.exec(`touch ${marker}; sleep 600`, { description: 'wait for the reboot' });
    while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 50));
    expect(sshd.freezeSessions()).toBeGreaterThan(0);
    const started = Date.now();
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const took = Date.now() - started;
    sshd.thawSessions();
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect(err!.message).toBe(`connection to node1 (127.0.0.1:${sshd.port}) lost during: wait for the reboot`);
    expect(took).toBeLessThan(6000);

    // Later commands fail at once with the same clear error, until reconnect.
    const next = await t.exec('true').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(next).toBeInstanceOf(ConnectionLostError);
    await t.reconnect!();
    expect(await t.run('echo back')).toBe('back\n');
    expect(t.stats?.connections).toBe(2);
    await t.close();
  });

  it('stops a command that runs too long and keeps the connection usable', async () => {
    const { t } = await connectAsRoot(sshd);
    const started = Date.now();
    const err = await t.exec('sleep 600', { timeoutMs: 500, description: 'hang' }).then(
      () => undefined,
      (e: unknown) => e as UserError,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toBeInstanceOf(UserError);
    expect(err!.message).toBe('timed out after 1s on node1: hang');
    expect(await t.run('echo still here')).toBe('still here\n');
    await t.close();
  });

  it('never renames a truncated file into place (stdin ended early, as when the link drops)', async () => {
    const { t } = await connectAsRoot(sshd);
    const dir = join(scratch.dir, 'trunc');
    mkdirSync(dir);
    const target = join(dir, 'cmdline.txt');
    writeFileSync(target, 'console=tty1 root=PARTUUID=1\n');
    const full = Buffer.from('console=tty1 root=PARTUUID=1 cgroup_memory=1 cgroup_enable=memory\n');
    const cut = full.subarray(0, 30).toString('base64');
    const script = atomicWriteScript({ path: target, source: { kind: 'stdin-base64' }, expectedSize: full.length });
    const result = await t.exec(script, { stdin: cut });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`incomplete transfer: got 30 of ${full.length} bytes`);
    expect(readFileSync(target, 'utf8')).toBe('console=tty1 root=PARTUUID=1\n');
    expect(readdirSync(dir)).toEqual(['cmdline.txt']);
    await t.close();
  });
});
