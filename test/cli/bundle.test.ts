import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ENTRY, buildBundle } from '../../scripts/bundle.js';
import { renderTemplate } from '../../src/templates.js';

// The shipped CLI is the esbuild bundle (scripts/bundle.ts), not the tsc output: build it with the same
// function as `npm run build` and run it as a user would. It is built two directories deeper than
// dist/bin, so a module that still counts `../` to reach package.json or inventories/
// misses; only the package root lookup (src/package-root.ts) finds them.
const ROOT = resolve(import.meta.dirname, '../..');
let work: string;
let outdir: string;

function run(entry: string, args: string[]) {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  work = mkdtempSync(join(ROOT, 'dist', '.bundle-test-'));
  outdir = join(work, 'one', 'two');
  // One more entry, sharing the CLI's chunks, to import the template module of the bundle directly:
  // every command that renders a template needs a node to talk to.
  await buildBundle(outdir, { 'templates-check': 'src/templates.ts' });
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the bundled CLI', () => {
  it('--version prints the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = run(join(outdir, BUNDLE_ENTRY), ['--version']);
    expect(r.err).toBe('');
    expect(r.out).toBe(`${pkg.version}\n`);
    expect(r.code).toBe(0);
  });

  it('validates the lab inventory: exit 0', () => {
    const r = run(join(outdir, BUNDLE_ENTRY), ['validate', '-i', 'inventories/lab.yaml']);
    // Whether the lab's password file exists (a warning about this machine) depends on a lab being up.
    expect(r.out).toMatch(/^inventories\/lab\.yaml: valid: cluster kblab0, 4 nodes \(1 server\)/m);
    expect(r.code).toBe(0);
  });

  it('schema prints the committed JSON schema', () => {
    const r = run(join(outdir, BUNDLE_ENTRY), ['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(join(ROOT, 'inventories/kbootstrap.schema.json'), 'utf8')));
  });

  it('renders a template (precompiled into the bundle: no templates/ read at run time)', () => {
    const script = `const m = await import(process.argv[1]);
      process.stdout.write(m.renderTemplate('k3s/k3s.env', { service: 'k3s-agent' }));`;
    const r = run('--input-type=module', ['-e', script, pathToFileURL(join(outdir, 'templates-check.js')).href]);
    expect(r.err).toBe('');
    expect(r.out).toBe(renderTemplate('k3s/k3s.env', { service: 'k3s-agent' }));
    expect(r.out).toContain('k3s-agent');
  });

  it('copied out of the package, says it cannot find its package root (exit 70)', () => {
    const lost = mkdtempSync(join(tmpdir(), 'kbootstrap-lost-'));
    try {
      cpSync(outdir, lost, { recursive: true });
      const r = run(join(lost, BUNDLE_ENTRY), ['--version']);
      expect(r.err).toContain(`cannot find kbootstrap's own package.json in ${lost} or any directory above it`);
      expect(r.code).toBe(70);
    } finally {
      rmSync(lost, { recursive: true, force: true });
    }
  });
});
