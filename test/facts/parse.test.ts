import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { FactsRaceError, parseFacts } from '../../src/facts/parse.js';

const minimal = (over: Record<string, string> = {}) =>
  JSON.stringify({
    format: '1', root: '', uid: '1000', uname: '6.1.0 x86_64', clock_ms: '1700000000123',
    file_candidates: '/etc/hostname\n/etc/hosts', file_stats: '5 644 /etc/hostname',
    file_blob: Buffer.from('node\n').toString('base64'), ...over,
  });

describe('parseFacts', () => {
  it('rejects output that is not JSON, naming the node and showing the start of the output', () => {
    const err = (() => { try { parseFacts('sudo: unable to resolve host\n{"x"', 'knode1'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('the facts script on knode1 did not print JSON');
    expect((err as UserError).hint).toContain('sudo: unable to resolve host');
    expect((err as UserError).where).toEqual({ node: 'knode1' });
  });

  it('rejects empty output with a hint about the shell', () => {
    expect(() => parseFacts('', 'n')).toThrow(/did not print JSON/);
  });

  it('rejects JSON of another shape and incomplete output', () => {
    expect(() => parseFacts('[1,2]', 'n')).toThrow(/unexpected shape/);
    expect(() => parseFacts('{"format":"1","uname":"x"}', 'n')).toThrow(/incomplete \(missing clock_ms, uid, file_candidates/);
    expect(() => parseFacts(minimal({ format: '2' }), 'n')).toThrow(/incomplete/);
  });

  it('slices the file blob and reports missing candidates as null; sudoOk only as uid 0', () => {
    const f = parseFacts(minimal(), 'n');
    expect(f.files).toEqual({ '/etc/hostname': { path: '/etc/hostname', content: 'node\n', mode: '644' }, '/etc/hosts': { path: '/etc/hosts', content: null } });
    expect(f.hostname).toBe('node');
    expect(f.sudoOk).toBe(false);
    expect(f.clockMs).toBe(1700000000123);
    expect(f.osRelease.id).toBe('unknown');
  });

  it('ownKernel: the node\'s own kernel ("none"), a container (its manager\'s name), or unknown (no answer)', () => {
    expect(parseFacts(minimal({ container: 'none\n' }), 'n').ownKernel).toBe(true);
    expect(parseFacts(minimal({ container: 'systemd-nspawn\n' }), 'n').ownKernel).toBe(false);
    expect('ownKernel' in parseFacts(minimal(), 'n')).toBe(false);
  });

  it('takes seconds when date has no %N', () => {
    expect(parseFacts(minimal({ clock_ms: '1700000000%3N' }), 'n').clockMs).toBe(1700000000000);
  });

  it('throws FactsRaceError when the blob does not match the sizes', () => {
    expect(() => parseFacts(minimal({ file_stats: '9 644 /etc/hostname' }), 'n')).toThrow(FactsRaceError);
    expect(() => parseFacts(minimal({ file_stats: '2 644 /etc/hostname' }), 'n')).toThrow(/3 bytes longer/);
  });
});
