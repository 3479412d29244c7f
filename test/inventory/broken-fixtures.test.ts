import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseInventoryText, sortProblems } from '../../src/inventory/index.js';

// Each broken inventory sits next to NAME.expected.txt: every problem, formatted, in file order.
const dir = resolve(import.meta.dirname, '../fixtures/inventories/broken');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const env = { KBOOTSTRAP_PI_PASSWORD: 'not-used' };

function run(name: string) {
  const file = join(dir, name);
  const result = parseInventoryText(readFileSync(file, 'utf8'), file, env, { homeDir: dir });
  const all = sortProblems([...(result.ok ? [] : result.problems), ...result.warnings]);
  return { result, all, lines: all.map((p) => formatProblem({ ...p, file: basename(p.file) })) };
}

describe('broken inventories', () => {
  it('cover at least 18 kinds of mistakes', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(18);
  });

  it.each(fixtures)('%s: every expected problem at its line and column', (name) => {
    const expected = readFileSync(join(dir, name.replace(/\.yaml$/, '.expected.txt')), 'utf8').trim().split('\n');
    const { result, lines } = run(name);
    expect(result.ok).toBe(false);
    expect(lines).toEqual(expected);
  });

  it.each(fixtures.filter((f) => f !== 'empty.yaml'))('%s: each position points at written text', (name) => {
    const source = readFileSync(join(dir, name), 'utf8').split('\n');
    for (const p of run(name).all) {
      expect(p.line, formatProblem(p)).toBeDefined();
      const ch = source[p.line! - 1]?.[p.column! - 1];
      expect(ch === undefined || ch === ' ', `${formatProblem(p)} points at blank`).toBe(false);
    }
  });

  it('reports several mistakes of one file in one run, errors and warnings together', () => {
    const { result } = run('several-mistakes.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.line, p.column])).toEqual([
      [16, 15],
      [17, 14],
      [19, 5],
      [22, 15],
      [24, 12],
      [28, 3],
    ]);
    expect(result.warnings.map((p) => [p.line, p.column])).toEqual([[25, 7]]);
  });

  it('points an unknown key at the key itself, with a did-you-mean', () => {
    const { all } = run('unknown-key.yaml');
    const source = readFileSync(join(dir, 'unknown-key.yaml'), 'utf8').split('\n');
    for (const [key, p] of [['stattic_ip', all[0]], ['staticIP', all[1]]] as const) {
      expect(source[p!.line! - 1]!.slice(p!.column! - 1).startsWith(`${key}:`)).toBe(true);
      expect(p!.hint).toBe('did you mean "staticIp"?');
    }
  });

  it('keeps syntax errors and the schema errors before them', () => {
    const { all } = run('bad-yaml-syntax.yaml');
    expect(all.map((p) => p.message)).toEqual([
      'board: must be one of rpi4, rpi5, vagrant, generic',
      'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });
});
