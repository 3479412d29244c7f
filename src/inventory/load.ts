import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { realFileProbe } from './file-probe.js';
import { issuesToProblems } from './issues.js';
import { SourceMap } from './positions.js';
import { sortProblems, type Problem } from './problem.js';
import type { ResolvedInventory } from './resolved.js';
import { resolveInventory } from './resolve.js';
import { checkRules, type FileProbe } from './rules.js';
import { ruleInputFromData } from './salvage.js';
import { InventorySchema, type Inventory } from './schema.js';

export type LoadResult =
  | { ok: true; inventory: ResolvedInventory; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };

export interface LoadOptions {
  /** Environment that secrets' `env` references are checked against. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** How files named by the inventory are looked at; tests pass a fake. */
  probe?: FileProbe;
  homeDir?: string;
  /**
   * What a missing variable, key or password file is (problems marked `environment`): an error, as a
   * run needs (default), or a warning, as `validate` reports it when it checks the file alone.
   */
  environment?: 'error' | 'warning';
}

/** Reads, parses, validates and resolves an inventory file; every problem at once, none thrown. */
export async function loadInventory(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const problem: Problem = {
      message: `cannot read the inventory: ${code}`,
      hint: code === 'ENOENT' ? 'create one with `kbootstrap init`, or copy one from inventories/' : undefined,
      file,
      path: [],
      severity: 'error',
    };
    return { ok: false, problems: [problem], warnings: [] };
  }
  return parseInventoryText(text, file, opts.env ?? process.env, opts);
}

/**
 * The same from text. `file` names the source in problems and anchors relative paths (its directory).
 * Order of work: YAML syntax, then the schema, then the cross-field rules, all collected together.
 */
export function parseInventoryText(text: string, file: string, env: NodeJS.ProcessEnv = process.env, opts: Omit<LoadOptions, 'env'> = {}): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source = new SourceMap(doc, lineCounter);
  const yamlProblem = (e: YAMLError, severity: Problem['severity']): Problem => ({
    message: `YAML: ${e.message}`,
    file,
    ...source.position(e.pos[0]),
    path: [],
    severity,
  });
  const syntax = doc.errors.map((e) => yamlProblem(e, 'error'));
  const yamlWarnings = doc.warnings.map((e) => yamlProblem(e, 'warning'));

  let data: unknown;
  try {
    data = doc.toJS();
  } catch {
    data = undefined;
  }

  const found: Problem[] = [];
  let parsed: Inventory | undefined;
  if (data === null || data === undefined) {
    if (syntax.length === 0) {
      found.push({ message: 'the inventory is empty', hint: 'start from inventories/raspberry-pi-4.yaml or run `kbootstrap init`', file, line: 1, column: 1, path: [], severity: 'error' });
    }
  } else {
    const result = InventorySchema.safeParse(data);
    const nodeNameAt = (path: (string | number)[]) => nodeName(data, path);
    if (result.success) parsed = result.data;
    else found.push(...issuesToProblems(result.error.issues, InventorySchema, file, source, nodeNameAt));

    const ruleInput = ruleInputFromData(data, parsed);
    if (ruleInput) {
      const ctx = { env, baseDir: dirname(resolvePath(file)), homeDir: opts.homeDir, probe: opts.probe ?? realFileProbe };
      for (const { at, ...p } of checkRules(ruleInput, ctx)) {
        const pos = source.locate(p.path, at);
        const severity = p.environment && opts.environment === 'warning' ? 'warning' : p.severity;
        found.push({ ...p, severity, file, line: pos.line, column: pos.column });
      }
    }
  }

  // After a syntax error the parsed data is a guess: keep only what lies before it and exists as written.
  const firstSyntaxLine = syntax.length ? Math.min(...syntax.map((p) => p.line ?? 1)) : Infinity;
  const trusted = found.filter((p) => syntax.length === 0 || ((p.line ?? 0) < firstSyntaxLine && source.locate(p.path).exact));

  const all = sortProblems([...syntax, ...yamlWarnings, ...trusted.map(stripUndefined)]);
  const problems = all.filter((p) => p.severity === 'error');
  const warnings = all.filter((p) => p.severity === 'warning');
  if (problems.length > 0 || !parsed) return { ok: false, problems, warnings };
  return { ok: true, inventory: resolveInventory(parsed, resolvePath(file), { env, homeDir: opts.homeDir }), warnings };
}

function nodeName(data: unknown, path: (string | number)[]): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') return undefined;
  const nodes = (data as { nodes?: unknown }).nodes;
  const entry = Array.isArray(nodes) ? (nodes[path[1]] as { name?: unknown } | undefined) : undefined;
  return typeof entry?.name === 'string' ? entry.name : undefined;
}

/** Problems compare by value in tests: no keys holding undefined. */
function stripUndefined(p: Problem): Problem {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as Problem;
}
