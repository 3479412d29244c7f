/**
 * A unified diff of two texts (what `diff -u` prints), for plans and --dry-run. Small and
 * dependency-free: the files kbootstrap edits are a few hundred lines, so a longest-common-subsequence
 * table is fast enough and the output is exactly what a reader expects.
 */

/** Marks a last line without "\n", so that it differs from the same text with one. */
const NO_EOL = '\u0000';

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

function toLines(text: string | null): string[] {
  if (!text) return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  else parts[parts.length - 1] += NO_EOL;
  return parts;
}

function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  // lcs[i*w+j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = new Uint32Array((n + 1) * w);
  const at = (i: number, j: number) => lcs[i * w + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i * w + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', line: a[i] as string, a: i++, b: j++ });
    else if (i < n && (j === m || at(i + 1, j) >= at(i, j + 1))) ops.push({ kind: '-', line: a[i] as string, a: i++, b: j });
    else ops.push({ kind: '+', line: b[j] as string, a: i, b: j++ });
  }
  return ops;
}

/** diff's range: 1-based start and count; an empty range names the line before it. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/**
 * `--- a<path>` / `+++ b<path>` and hunks with `context` unchanged lines around each change; '' when
 * the texts are equal. `before` null (the file does not exist yet) diffs against /dev/null.
 */
export function unifiedDiff(before: string | null, after: string | null, path: string, context = 3): string {
  if (before === after) return '';
  const ops = editScript(toLines(before), toLines(after));
  const changed = ops.flatMap((o, k) => (o.kind === ' ' ? [] : [k]));
  if (changed.length === 0) return '';
  const out = [`--- ${before === null ? '/dev/null' : `a${path}`}`, `+++ ${after === null ? '/dev/null' : `b${path}`}`];
  for (let k = 0; k < changed.length; ) {
    const first = changed[k] as number;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] as number) - last <= 2 * context + 1) last = changed[++k] as number;
    k++;
    const hunk = ops.slice(Math.max(0, first - context), Math.min(ops.length, last + context + 1));
    const head = hunk[0] as Op;
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(head.a, aCount)} +${range(head.b, bCount)} @@`);
    for (const o of hunk) {
      if (o.line.endsWith(NO_EOL)) out.push(`${o.kind}${o.line.slice(0, -1)}`, '\\ No newline at end of file');
      else out.push(`${o.kind}${o.line}`);
    }
  }
  return `${out.join('\n')}\n`;
}
