import type { LogEvent, NodeSummary } from './events.js';
import type { Style } from './style.js';
import { alignColumns } from './table.js';

/**
 * Text formatting shared by the plain and TTY views: one formatter per event kind. Every line about a
 * node starts with `[node]`, including continuation lines (details, diffs), so `grep '\[kmaster\]'`
 * finds all of a node's output.
 */
export interface TextLines {
  lines: string[];
  /** Warnings and errors go to stderr; everything else to stdout. */
  stream: 'out' | 'err';
}

export interface FormatOptions {
  style: Style;
  verbose: boolean;
}

type Formatter<K extends LogEvent['kind']> = (event: Extract<LogEvent, { kind: K }>, o: FormatOptions) => TextLines;

const out = (lines: string[]): TextLines => ({ lines, stream: 'out' });
const NOTHING: TextLines = { lines: [], stream: 'out' };

export function nodeTag(node: string | undefined, style: Style): string {
  return node ? style.cyan(`[${node}]`) + ' ' : '';
}

/** Prefix every line of a possibly multi-line text (the first with `first`, the rest with `rest`). */
export function prefixLines(text: string, first: string, rest = first): string[] {
  return text.split(/\r?\n/).map((line, i) => (i === 0 ? first : rest) + line);
}

const stepStatusText: Record<string, (s: Style) => string> = {
  running: () => '',
  done: (s) => s.green('done'),
  failed: (s) => s.red('failed'),
  planned: (s) => s.yellow('planned'),
  unchanged: (s) => s.dim('unchanged'),
};

const formatters: { [K in LogEvent['kind']]: Formatter<K> } = {
  message(e, { style, verbose }) {
    if (e.level === 'debug' && !verbose) return NOTHING;
    const tag = nodeTag(e.node, style);
    const label = { debug: style.dim('debug: '), info: '', warn: style.yellow('warning: '), error: style.red('error: ') }[e.level];
    return { lines: prefixLines(e.text, tag + label, tag + ' '.repeat(stripLen(label))), stream: e.level === 'warn' || e.level === 'error' ? 'err' : 'out' };
  },
  'phase-start'(e, { style }) {
    const who = e.nodes.length > 0 ? style.dim(` (${e.nodes.join(', ')})`) : '';
    return out([style.bold(`==> ${e.phase}`) + who]);
  },
  'phase-end'(e, { style }) {
    const status = e.skipped ? style.dim('skipped') : e.ok ? style.green('done') : style.red('failed');
    return out([`${style.bold(`==> ${e.phase}`)}: ${status}`]);
  },
  'node-step'(e, { style }) {
    const tag = nodeTag(e.node, style);
    const status = stepStatusText[e.status]?.(style) ?? e.status;
    const head = `${tag}${e.phase}: ${e.text} ...${status ? ' ' + status : ''}`;
    const lines = [head];
    if (e.detail) lines.push(...prefixLines(e.detail, tag + '    '));
    return { lines, stream: e.status === 'failed' ? 'err' : 'out' };
  },
  change(e, { style, verbose }) {
    const tag = nodeTag(e.node, style);
    const lines = [`${tag}${e.applied ? style.green('changed') : style.yellow('would change')}: ${e.description}`];
    // A plan (dry run) shows what each file becomes; an applied run only under --verbose.
    if (e.diff && (!e.applied || verbose)) {
      for (const line of e.diff.replace(/\n$/, '').split(/\r?\n/)) lines.push(tag + '    ' + colorDiffLine(line, style));
    }
    return out(lines);
  },
  summary(e, { style }) {
    return out(formatSummary(e.nodes, style));
  },
  table(e, { style }) {
    const aligned = alignColumns([e.columns, ...e.rows]);
    const [header, ...rows] = aligned;
    return out([style.bold(e.title), style.dim(header ?? ''), ...rows]);
  },
  // Structured results are for --json consumers; commands emit readable events alongside.
  result() {
    return NOTHING;
  },
  error(e, { style }) {
    const tag = nodeTag(e.node, style);
    const lines = prefixLines(e.message, tag + style.red('error: '), tag + '       ');
    if (e.where) lines.push(`  at ${e.where}`);
    if (e.hint) lines.push(...prefixLines(e.hint, style.cyan('hint: '), '      '));
    if (e.stack) lines.push(...e.stack.split('\n').map((l) => style.dim(l)));
    return { lines, stream: 'err' };
  },
};

export function formatEvent(event: LogEvent, options: FormatOptions): TextLines {
  const formatter = formatters[event.kind] as Formatter<LogEvent['kind']>;
  return formatter(event as never, options);
}

function colorDiffLine(line: string, style: Style): string {
  if (line.startsWith('+++') || line.startsWith('---')) return style.bold(line);
  if (line.startsWith('+')) return style.green(line);
  if (line.startsWith('-')) return style.red(line);
  if (line.startsWith('@@')) return style.cyan(line);
  return line;
}

function stripLen(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

export function summaryCounts(nodes: readonly NodeSummary[]): Record<NodeSummary['outcome'], number> {
  const counts = { changed: 0, unchanged: 0, failed: 0, skipped: 0 };
  for (const n of nodes) counts[n.outcome]++;
  return counts;
}

function formatSummary(nodes: readonly NodeSummary[], style: Style): string[] {
  const paint = { changed: style.yellow, unchanged: style.dim, failed: style.red, skipped: style.dim };
  const rows = nodes.map((n) => [n.node, n.outcome, String(n.changes), n.error ?? '']);
  const aligned = alignColumns([['NODE', 'OUTCOME', 'CHANGES', 'ERROR'], ...rows]);
  // Colour after aligning, so escape codes do not upset the widths.
  const body = aligned.slice(1).map((line, i) => {
    const outcome = nodes[i]!.outcome;
    return line.replace(new RegExp(`(?<=^\\S+\\s+)${outcome}`), paint[outcome](outcome));
  });
  const c = summaryCounts(nodes);
  const totals = `${c.changed} changed, ${c.unchanged} unchanged, ${c.failed} failed` + (c.skipped ? `, ${c.skipped} skipped` : '');
  return [style.bold('Summary'), style.dim(aligned[0] ?? ''), ...body, c.failed > 0 ? style.red(totals) : style.green(totals)];
}
