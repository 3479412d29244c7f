import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readFile } from 'node:fs/promises';
import { startLab, type Lab } from '../lab/lab.js';
import { kbootstrap, summaryOf, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1', 'knode2'];
const TEMP_FILES = "find / -xdev \\( -name '*.kbootstrap-tmp*' -o -name '.kbootstrap-tmp*' \\) -print 2>/dev/null";

function errorOf(run: CliRun, node: string): string {
  const s = run.events.find((e) => e.kind === 'summary');
  return (s?.kind === 'summary' && s.nodes.find((n) => n.node === node)?.error) || '';
}

/**
 * Faults with the lab's k3s stand-in (not Kubernetes): a node that is down, a changed host key, a
 * wrong sudo password and a link cut mid-run each fail only their node, with a clear message and no
 * half-written file; a re-run after the fault is cleared finishes the job.
 */
describe.skipIf(!isRoot)(`faults on a 3-node lab with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let inv: Awaited<ReturnType<typeof writeLabInventory>>;
  let env: Record<string, string>;
  const init = (file = inv.file) => kbootstrap(['init', '-i', file, '--yes', '--json'], env);
  const noTempFiles = async () => {
    for (const n of NODES) expect((await lab.exec(n, TEMP_FILES)).stdout.trim(), n).toBe('');
  };

  beforeAll(async () => {
    [lab, release] = await Promise.all([
      startLab({ nodes: NODES.map((name) => ({ name, variant: 'trixie', arch: 'amd64' })) }),
      startStandinRelease(),
    ]);
    inv = await writeLabInventory(lab, { staticIps: true });
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: `${inv.dir}/cache` };
  });
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('a node that is down fails alone; the others are prepared and joined (exit 3)', async () => {
    await lab.faults.stop('knode2');
    const run = await init();
    expect(run.code).toBe(3);
    expect(summaryOf(run.events)).toEqual({ kmaster: 'changed', knode1: 'changed', knode2: 'failed' });
    expect(errorOf(run, 'knode2')).toMatch(/^cannot (reach|connect to) knode2 at 10\.77\.\d+\.\d+/);
    await lab.faults.start('knode2');
  });

  it('a changed host key and a wrong sudo password stop only their nodes, before anything is written', async () => {
    await lab.waitForSsh('knode2');
    await lab.faults.changeHostKey('knode1');
    const wrong = join(inv.dir, 'wrong-sudo');
    await writeFile(wrong, 'not-the-password\n', { mode: 0o600 });
    const edited = parse(await readFile(inv.file, 'utf8')) as { nodes: { name: string; ssh?: object }[] };
    edited.nodes[2]!.ssh = { sudoPassword: { file: wrong } };
    const wrongFile = join(inv.dir, 'wrong-sudo.yaml');
    await writeFile(wrongFile, stringify(edited));

    const run = await init(wrongFile);
    expect(run.code).toBe(3);
    expect(summaryOf(run.events)).toMatchObject({ knode1: 'failed', knode2: 'failed' });
    expect(errorOf(run, 'knode1')).toMatch(/host key .*changed/i);
    expect(errorOf(run, 'knode1')).toContain('kbootstrap known-hosts forget knode1');
    expect(errorOf(run, 'knode2')).toMatch(/sudo password rejected on knode2/);
    expect(run.stdout).not.toContain('not-the-password');
    expect((await lab.exec('knode2', 'test -e /var/lib/kbootstrap/backup')).code).not.toBe(0);
    await noTempFiles();

    const forget = await kbootstrap(['known-hosts', 'forget', 'knode1', '-i', inv.file], env);
    expect(forget.code, forget.stderr).toBe(0);
  });

  it('a link cut while the node is busy fails that node within a bounded time', async () => {
    await lab.faults.hang('knode2');
    const running = init();
    await new Promise((r) => setTimeout(r, 8000));
    await lab.faults.cutLink('knode2');
    const run = await running;
    expect(run.code).toBe(3);
    expect(summaryOf(run.events).knode2).toBe('failed');
    expect(errorOf(run, 'knode2')).toMatch(/connection to knode2 .* lost|timed out|cannot reach/);
    expect(run.ms).toBeLessThan(240_000);
    await lab.faults.restoreLink('knode2');
    await lab.faults.unhang('knode2');
    await noTempFiles();
  });

  it('once the faults are cleared, a re-run finishes the job', async () => {
    const run = await init();
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const table = run.events.find((e) => e.kind === 'table' && e.title === 'Nodes');
    expect(table?.kind === 'table' && table.rows.map((r) => r[5])).toEqual(['Ready', 'Ready', 'Ready']);
    for (const [i, name] of NODES.entries()) expect(await lab.ip(name)).toBe(`${lab.subnet.base}${10 + i}`);
    await noTempFiles();
  });
});
