import { shellQuote } from '../ssh/shell-quote.js';

/**
 * Many `k3s kubectl get` calls in one shell command, so a readiness poll or a probe of every step
 * costs one SSH round trip. Each answer is framed by marker lines and carries its exit code.
 */
export interface KubectlQuery {
  resource: string;
  namespace?: string;
  name: string;
  /** `json` (default) or a jsonpath template. */
  jsonpath?: string;
}

export interface KubectlAnswer {
  code: number;
  output: string;
}

const MARK = '@@kbootstrap-q';

export function queryArgs(q: KubectlQuery): string[] {
  return ['get', q.resource, ...(q.namespace ? ['-n', q.namespace] : []), q.name, '-o', q.jsonpath ? `jsonpath=${q.jsonpath}` : 'json'];
}

/**
 * One sh script running every query; with `prefix`, another command's output first (framed as answer
 * -1). kubectl's stderr is shown only when it fails: its warnings (e.g. "v1 Endpoints is deprecated")
 * must not spoil the JSON of an answer.
 */
export function buildBatchCommand(queries: KubectlQuery[], prefix?: string): string {
  const lines: string[] = ['e=$(mktemp)'];
  if (prefix) lines.push(`printf '\\n${MARK} -1\\n'`, `{ ${prefix}; } 2>&1`, `printf '\\n${MARK}-rc -1 %d\\n' $?`);
  queries.forEach((q, i) => {
    lines.push(
      `printf '\\n${MARK} ${i}\\n'`,
      `k3s kubectl ${queryArgs(q).map(shellQuote).join(' ')} 2>"$e"`,
      `rc=$?; [ "$rc" -eq 0 ] || cat "$e"`,
      `printf '\\n${MARK}-rc ${i} %d\\n' "$rc"`,
    );
  });
  lines.push('rm -f "$e"');
  return lines.join('\n');
}

/** Answers by query index (-1: the prefix command); a query with no answer (script cut short) is missing. */
export function parseBatchOutput(stdout: string): Map<number, KubectlAnswer> {
  const out = new Map<number, KubectlAnswer>();
  const re = new RegExp(`\\n${MARK} (-?\\d+)\\n([\\s\\S]*?)\\n${MARK}-rc (-?\\d+) (\\d+)\\n`, 'g');
  for (const m of `\n${stdout}`.matchAll(re)) {
    out.set(Number(m[1]), { code: Number(m[4]), output: m[2]! });
  }
  return out;
}
