import { readFileSync } from 'node:fs';
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

describe('kbootstrap schema', () => {
  it('prints the committed JSON Schema of the inventory', async () => {
    const { code, out } = await cli(['schema'], { actions: { schema: schemaAction } });
    expect(code).toBe(ExitCode.ok);
    const printed = JSON.parse(out) as Record<string, unknown>;
    expect(printed).toEqual(JSON.parse(readFileSync(join(examples, 'kbootstrap.schema.json'), 'utf8')));
  });
});
