import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// A few runs of the real entry point in a child process (no TTY: stdin/stdout are pipes).
const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/cli/main.ts');
const tmp = mkdtempSync(join(tmpdir(), 'kb-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function kbootstrap(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [main, ...args], { cwd: tmp, env: { ...process.env, NO_COLOR: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the kbootstrap entry point', () => {
  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await kbootstrap(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('exits 2 on an unknown option', async () => {
    const r = await kbootstrap(['plan', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--frobnicate'");
  });

  it('validate --json on a broken inventory: JSON lines only, exit 1', async () => {
    const file = join(root, 'test/fixtures/inventories/broken/duplicate-ip.yaml');
    const r = await kbootstrap(['validate', '--json', '-i', file], { KBOOTSTRAP_PI_PASSWORD: 'not-used' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; text?: string });
    expect(events.map((e) => e.kind)).toEqual(['message', 'message', 'result']);
    expect(events[0]!.text).toBe(`${file}:17:15: error: node knode2: static IP 192.168.2.51 is already used by node knode1 (nodes[1]) (hint: every node needs its own static IP)`);
  });

  it('init without a terminal and without an inventory: exit 1, says what is missing and how to fix it', async () => {
    const r = await kbootstrap(['init', '-i', 'cluster.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: no inventory: cluster.yaml does not exist\n' +
        'hint: run `kbootstrap init -i cluster.yaml` in a terminal (without --yes/--json) to answer the questions, or write the file yourself, starting from an example in inventories/ (check it with `kbootstrap validate -i cluster.yaml`)\n',
    );
  });
});
