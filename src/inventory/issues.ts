import type * as z from 'zod';
import { didYouMean } from './did-you-mean.js';
import { formatPath, type Problem } from './problem.js';
import type { SourceMap } from './positions.js';
import { allowedKeysAt } from './schema-walk.js';

type Path = (string | number)[];

const SECRET_KEYS = new Set(['password', 'sudoPassword']);

/**
 * Turns zod issues into Problems placed in the YAML source: one problem per unknown key (at the key,
 * with a did-you-mean), enum mistakes with the closest allowed value, secrets with how to give them.
 */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
  file: string,
  source: SourceMap,
  nodeNameAt: (path: Path) => string | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const add = (path: Path, at: 'value' | 'key', message: string, hint?: string) => {
    const pos = source.locate(path, at);
    const node = nodeNameAt(path);
    problems.push({ message, hint, file, line: pos.line, column: pos.column, path, node, severity: 'error' });
  };

  // "adress" (unknown, did you mean "address"?) already explains a missing "address": say it once.
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const at = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    const allowed = allowedKeysAt(schema, at);
    for (const key of issue.keys) {
      const s = didYouMean(key, allowed);
      if (s) suggested.add(JSON.stringify([...at, s]));
    }
  }

  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, path).filter((k) => k !== '$schema');
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, allowed);
        const where = path.length ? ` in ${formatPath(path)}` : ' at the top level';
        const hint = suggestion ? `did you mean "${suggestion}"?` : `allowed here: ${allowed.join(', ')}`;
        add([...path, key], 'key', `unknown key "${key}"${where}`, hint);
      }
      continue;
    }
    const field = formatPath(path);
    const last = path[path.length - 1];
    if (issue.code === 'invalid_type' && source.locate(path).exact === false) {
      if (suggested.has(JSON.stringify(path))) continue;
      add(path, 'value', `missing required key "${String(last)}"${path.length > 1 ? ` in ${formatPath(path.slice(0, -1))}` : ''}`);
      continue;
    }
    if (issue.code === 'invalid_value') {
      const written = source.scalarAt(path);
      const allowed = issue.values.map(String);
      const suggestion = typeof written === 'string' ? didYouMean(written, allowed) : undefined;
      add(path, 'value', `${field}: must be one of ${allowed.join(', ')}`, suggestion ? `did you mean "${suggestion}"?` : undefined);
      continue;
    }
    if (issue.code === 'invalid_type' && issue.expected === 'boolean' && /^(yes|no|on|off|y|n)$/i.test(String(source.scalarAt(path)))) {
      add(path, 'value', `${field}: must be true or false`, 'YAML 1.2 reads yes/no/on/off as strings: write true or false');
      continue;
    }
    if (typeof last === 'string' && SECRET_KEYS.has(last)) {
      add(path, 'value', `${field}: ${issue.message}`, `${last}: { env: KBOOTSTRAP_PI_PASSWORD } and export that variable, or ${last}: { file: ~/.config/kbootstrap/password } (mode 0600)`);
      continue;
    }
    add(path, 'value', `${field}: ${issue.message}`);
  }
  return problems;
}
