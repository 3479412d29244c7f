import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FACTS_COMMAND, gatherFacts } from '../../src/facts/gather.js';
import { FACTS_SCRIPT } from '../../src/facts/script.js';
import type { ExecOptions, ExecResult, Transport } from '../../src/ssh/transport.js';

/** A transport that records each exec and answers from a script of results. */
function fakeTransport(answer: (command: string, opts: ExecOptions, call: number) => ExecResult) {
  const calls: { command: string; opts: ExecOptions }[] = [];
  const t: Transport = {
    node: 'knode1',
    exec: async (command, opts = {}) => {
      calls.push({ command, opts });
      return answer(command, opts, calls.length);
    },
    run: async () => { throw new Error('not used'); },
    readFile: async () => { throw new Error('not used'); },
    writeFile: async () => { throw new Error('not used'); },
    upload: async () => { throw new Error('not used'); },
    close: async () => undefined,
  };
  return { t, calls };
}

/** Runs the command locally the way a node would: `sh -c COMMAND` with the stdin given. */
function runLocally(command: string, opts: ExecOptions): ExecResult {
  const r = spawnSync('dash', ['-c', command], { input: opts.stdin ?? '', encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

describe('gatherFacts', () => {
  it('is one exec of `sh -s` as root with the script on stdin', async () => {
    const { t, calls } = fakeTransport((c, o) => runLocally(c, o));
    const facts = await gatherFacts(t);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.command).toBe(FACTS_COMMAND);
    expect(calls[0]!.opts).toMatchObject({ sudo: true, stdin: FACTS_SCRIPT });
    expect(facts.memory.totalMb).toBeGreaterThan(0);
  });

  it('says sudo failed, for the node, when sudo refuses', async () => {
    const { t } = fakeTransport(() => ({ stdout: '', stderr: 'sudo: a password is required\n', code: 1 }));
    await expect(gatherFacts(t)).rejects.toThrow('sudo failed on knode1, so its facts could not be gathered as root');
  });

  it('names sudo\'s real complaint when sudo does not run setuid root (qemu-aarch64 without the C flag)', async () => {
    const stderr = "sudo: effective uid is not 0, is /usr/bin/sudo on a file system with the 'nosuid' option set or an NFS file system without root privileges?\n";
    const { t } = fakeTransport(() => ({ stdout: '', stderr, code: 1 }));
    const err = (await gatherFacts(t).then(() => undefined, (e: unknown) => e)) as Error & { hint?: string };
    expect(err.message).toContain('gathering facts failed on knode1 (exit 1): sudo: effective uid is not 0');
    expect(err.hint).toContain('binfmt entry lacks the C flag');
    expect(err.hint).not.toContain('awk');
  });

  it('reports another failure with its exit code and the end of stderr', async () => {
    const { t } = fakeTransport(() => ({ stdout: '', stderr: 'sh: 1: awk: not found\n', code: 127 }));
    await expect(gatherFacts(t)).rejects.toThrow('gathering facts failed on knode1 (exit 127): sh: 1: awk: not found');
  });

  it('gathers again once when a file changed under the script, then gives up', async () => {
    const good = runLocally(FACTS_COMMAND, { stdin: FACTS_SCRIPT });
    const racy = { ...good, stdout: good.stdout.replace(/"file_stats":"(\d+)/, (_m, n: string) => `"file_stats":"${Number(n) + 1}`) };
    const once = fakeTransport((_c, _o, call) => (call === 1 ? racy : good));
    await expect(gatherFacts(once.t)).resolves.toBeDefined();
    expect(once.calls).toHaveLength(2);
    const always = fakeTransport(() => racy);
    await expect(gatherFacts(always.t)).rejects.toThrow(/files on knode1 changed while its facts were read/);
    expect(always.calls).toHaveLength(2);
  });
});
