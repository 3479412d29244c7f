import { describe, expect, it } from 'vitest';
import { classifyConnectError } from '../../src/ssh/connect-errors.js';
import { keepaliveCountMax } from '../../src/ssh/connect.js';
import { looksLikeDefaultPassword } from '../../src/ssh/default-passwords.js';
import { isDiskFull, stderrTail, sudoProblem } from '../../src/ssh/errors.js';
import { describe as describeCommand } from '../../src/ssh/node-ssh-transport.js';

const target = { node: 'pi1', host: '10.0.0.5', port: 22, user: 'pi', methods: ['publickey', 'password'] };

describe('default passwords', () => {
  it('flags factory logins and user=password', () => {
    expect(looksLikeDefaultPassword('pi', 'raspberry')).toBe(true);
    expect(looksLikeDefaultPassword('ubuntu', 'ubuntu')).toBe(true);
    expect(looksLikeDefaultPassword('vagrant', 'vagrant')).toBe(true);
    expect(looksLikeDefaultPassword('anna', 'anna')).toBe(true);
    expect(looksLikeDefaultPassword('pi', 'c0rrect-horse')).toBe(false);
    expect(looksLikeDefaultPassword('ubuntu', 'raspberry')).toBe(false);
  });
});

describe('sudo refusals', () => {
  it('tells a rejected password from a command failing', () => {
    expect(sudoProblem(1, 'sudo: 1 incorrect password attempt\n')).toBe('password-rejected');
    expect(sudoProblem(1, 'Sorry, try again.\nsudo: 3 incorrect password attempts\n')).toBe('password-rejected');
    expect(sudoProblem(1, 'sudo: a password is required\n')).toBe('password-required');
    expect(sudoProblem(1, 'pi is not in the sudoers file.  This incident will be reported.\n')).toBe('not-allowed');
    expect(sudoProblem(1, 'grep: /etc/x: No such file or directory\n')).toBeUndefined();
    expect(sudoProblem(0, 'sudo: 1 incorrect password attempt\n')).toBeUndefined();
  });
});

describe('error text helpers', () => {
  it('keeps the tail of stderr and redacts secrets', () => {
    const stderr = Array.from({ length: 20 }, (_, i) => `line ${i} hunter2`).join('\n');
    const tail = stderrTail(stderr, ['hunter2'], 3);
    expect(tail).toBe('line 17 ***\nline 18 ***\nline 19 ***');
  });

  it('spots a full disk', () => {
    expect(isDiskFull('base64: write error: No space left on device')).toBe(true);
    expect(isDiskFull('Permission denied')).toBe(false);
  });

  it('labels a command by its first line', () => {
    expect(describeCommand('  set -eu\nfoo')).toBe('set -eu');
    expect(describeCommand('x'.repeat(100))).toHaveLength(80);
  });
});

describe('classifyConnectError', () => {
  const classify = (err: object) => classifyConnectError(Object.assign(new Error((err as { message?: string }).message ?? 'x'), err), target, 20_000);

  it('says what to check for each failure', () => {
    const refused = classify({ code: 'ECONNREFUSED' });
    expect(refused.message).toBe('cannot connect to pi1 at 10.0.0.5:22: connection refused');
    expect(refused.hint).toMatch(/powered on/);
    expect(refused.where).toEqual({ node: 'pi1' });
    expect(classify({ code: 'EHOSTUNREACH' }).message).toBe('cannot reach pi1 at 10.0.0.5:22: EHOSTUNREACH');
    expect(classify({ level: 'client-timeout', message: 'Timed out while waiting for handshake' }).message).toBe(
      'cannot reach pi1 at 10.0.0.5:22: no answer within 20s',
    );
    const auth = classify({ level: 'client-authentication', message: 'All configured authentication methods failed' });
    expect(auth.message).toBe('authentication failed for pi@10.0.0.5:22 (node pi1)');
    expect(auth.hint).toMatch(/Tried: publickey, password/);
    expect(classify({ code: 'ENOTFOUND' }).message).toBe('cannot resolve the address of pi1: 10.0.0.5');
    expect(classify({ message: 'Encrypted private OpenSSH key detected, but no passphrase given' }).hint).toMatch(/ssh-agent/);
  });
});

describe('SSH keepalives', () => {
  it('a link is dead after 3 unanswered keepalives, or after KBOOTSTRAP_SSH_DEAD_AFTER seconds', () => {
    expect(keepaliveCountMax(5000, {})).toBe(3);
    expect(keepaliveCountMax(5000, { KBOOTSTRAP_SSH_DEAD_AFTER: '120' })).toBe(24);
    expect(keepaliveCountMax(5000, { KBOOTSTRAP_SSH_DEAD_AFTER: '7' })).toBe(2);
    expect(keepaliveCountMax(5000, { KBOOTSTRAP_SSH_DEAD_AFTER: 'soon' })).toBe(3);
  });
});
