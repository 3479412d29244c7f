import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaAction } from '../../src/cli/commands/schema.js';
import { validateAction } from '../../src/cli/commands/validate.js';
import { ExitCode } from '../../src/errors.js';
import { cli } from './harness.js';

const broken = resolve(import.meta.dirname, '../fixtures/inventories/broken');
const examples = resolve(import.meta.dirname, '../../inventories');
const validate = { validate: validateAction };

// The Pi example takes its password from this variable; validate checks that it is set.
beforeAll(() => {
  process.env.KBOOTSTRAP_PI_PASSWORD = 'not-used';
});
afterAll(() => {
  delete process.env.KBOOTSTRAP_PI_PASSWORD;
});

function expectedLines(name: string, file: string): string[] {
  // The fixtures' expectations name the file by its base name; the CLI names it as given.
  return readFileSync(join(broken, `${name}.expected.txt`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.replace(`${name}.yaml:`, `${file}:`));
}

describe('kbootstrap validate', () => {
  it('passes a good inventory: exit 0 and a one-line verdict', async () => {
    const file = relative(process.cwd(), join(examples, 'raspberry-pi-4.yaml'));
    const { code, out } = await cli(['validate', '-i', file], { actions: validate });
    expect(code).toBe(ExitCode.ok);
    expect(out).toBe(`${file}: valid: cluster pi-cluster, 4 nodes (1 server)\n`);
  });

  it.each(['several-mistakes', 'duplicate-ip', 'unknown-key', 'bad-yaml-syntax', 'no-server'])(
    '%s: prints every problem with file:line:column and exits 1',
    async (name) => {
      const file = relative(process.cwd(), join(broken, `${name}.yaml`));
      const { code, out } = await cli(['validate', '-i', file], { actions: validate });
      expect(code).toBe(ExitCode.userError);
      const lines = out.trim().split('\n');
      const expected = expectedLines(name, file);
      expect(lines.slice(0, -1)).toEqual(expected);
      for (const line of expected) expect(line).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: (error|warning): `));
      expect(lines.at(-1)).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: \\d+ errors?`));
    },
  );

  it('exits 1 when the file does not exist, saying how to make one', async () => {
    const { code, out } = await cli(['validate', '-i', '/nonexistent/kb.yaml'], { actions: validate });
    expect(code).toBe(ExitCode.userError);
    expect(out).toContain('/nonexistent/kb.yaml: error: cannot read the inventory: ENOENT');
    expect(out).toContain('kbootstrap init');
  });

  it('--json: JSON lines only, with a result event listing the problems and their positions', async () => {
    const file = join(broken, 'several-mistakes.yaml');
    const { code, out, err } = await cli(['validate', '--json', '-i', file], { actions: validate });
    expect(code).toBe(ExitCode.userError);
    expect(err).toBe('');
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; command?: string; data?: { valid: boolean; errors: number; warnings: number; problems: { line: number; column: number; severity: string; text: string }[] } });
    const result = events.find((e) => e.kind === 'result');
    expect(result?.command).toBe('validate');
    expect(result?.data).toMatchObject({ valid: false, errors: 6, warnings: 1 });
    expect(result?.data?.problems.map((p) => [p.line, p.column])).toEqual([
      [16, 15],
      [17, 14],
      [19, 5],
      [22, 15],
      [24, 12],
      [25, 7],
      [28, 3],
    ]);
  });
});

// validate reads files only (never connects): run it on what this machine has, with no secret variable set.
describe('kbootstrap validate on what a run needs from this machine', () => {
  const bare = { validate: (ctx: Parameters<typeof validateAction>[0], o: Parameters<typeof validateAction>[1]) => validateAction(ctx, o, { env: {} }) };
  const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.yaml'));

  it.each(exampleFiles)('inventories/%s: exit 0 without any secret variable set; the rest are warnings', async (name) => {
    const file = relative(process.cwd(), join(examples, name));
    const { code, out } = await cli(['validate', '-i', file], { actions: bare });
    expect(code, out).toBe(ExitCode.ok);
    expect(out).not.toMatch(/: error: /);
    expect(out).toContain(`${file}: valid: `);
  });

  it('raspberry-pi-4.yaml without its password variable: a warning with the export line, an error with --strict', async () => {
    const file = relative(process.cwd(), join(examples, 'raspberry-pi-4.yaml'));
    const warned = await cli(['validate', '-i', file], { actions: bare });
    expect(warned.code).toBe(ExitCode.ok);
    expect(warned.out).toMatch(
      new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: warning: password comes from environment variable KBOOTSTRAP_PI_PASSWORD, which is not set \\(hint: export KBOOTSTRAP_PI_PASSWORD=`, 'm'),
    );
    expect(warned.out).toContain(`${file}: valid: cluster pi-cluster, 4 nodes (1 server), 1 warning\n`);
    expect(warned.out).toContain('one warning is about this machine, not the file: init and plan stop until it is fixed (validate --strict fails on them)');

    const strict = await cli(['validate', '--strict', '-i', file], { actions: bare });
    expect(strict.code).toBe(ExitCode.userError);
    expect(strict.out).toMatch(/: error: password comes from environment variable KBOOTSTRAP_PI_PASSWORD, which is not set/);
    expect(strict.out).toContain(`${file}: 1 error\n`);
  });

  it('vagrant.yaml before `vagrant up`: its missing key files are warnings, errors with --strict', async () => {
    const file = relative(process.cwd(), join(examples, 'vagrant.yaml'));
    const keys = [...readFileSync(join(examples, 'vagrant.yaml'), 'utf8').matchAll(/privateKey: (\S+)/g)].map((m) => resolve(examples, m[1]!));
    const missing = keys.filter((k) => !existsSync(k));
    const warned = await cli(['validate', '-i', file], { actions: bare });
    expect(warned.code).toBe(ExitCode.ok);
    expect(warned.out.match(/: warning: (node \S+: )?private key .* does not exist/g) ?? []).toHaveLength(missing.length);
    const strict = await cli(['validate', '--strict', '-i', file], { actions: bare });
    expect(strict.code).toBe(missing.length > 0 ? ExitCode.userError : ExitCode.ok);
    expect(strict.out.match(/: error: (node \S+: )?private key .* does not exist/g) ?? []).toHaveLength(missing.length);
  });

  it('a mistake in the file stays an error without --strict', async () => {
    const file = relative(process.cwd(), join(broken, 'no-server.yaml'));
    const { code } = await cli(['validate', '-i', file], { actions: bare });
    expect(code).toBe(ExitCode.userError);
  });
});

describe('kbootstrap schema', () => {
  it('prints the committed JSON Schema of the inventory', async () => {
    const { code, out } = await cli(['schema'], { actions: { schema: schemaAction } });
    expect(code).toBe(ExitCode.ok);
    const printed = JSON.parse(out) as Record<string, unknown>;
    expect(printed).toEqual(JSON.parse(readFileSync(join(examples, 'kbootstrap.schema.json'), 'utf8')));
  });
});
