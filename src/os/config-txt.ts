import type { Board } from '../inventory/schema.js';
import { joinLines, splitLines } from './text.js';

/**
 * config.txt: `key=value` lines (98 characters at most) under conditional sections. `[pi4]`, `[cm5]`...
 * filter by model (one model filter at a time), other filters (`[HDMI:0]`, `[gpio4=1]`, `[tryboot]`,
 * `[EDID=...]`) add conditions, and `[all]` clears them all. Later settings override earlier ones.
 */

/** The model filters that apply to a board (the family and, from the device-tree model, the exact one). */
export function modelFilters(board: Board, boardModel: string | undefined): string[] {
  const model = boardModel ?? '';
  if (board === 'rpi4') {
    return ['pi4', ...(/Compute Module 4/.test(model) ? ['cm4'] : []), ...(/Raspberry Pi 400/.test(model) ? ['pi400'] : [])];
  }
  if (board === 'rpi5') {
    return ['pi5', ...(/Compute Module 5/.test(model) ? ['cm5'] : []), ...(/Raspberry Pi 500/.test(model) ? ['pi500'] : [])];
  }
  return [];
}

const MODEL_FILTER = /^(pi\d+\w*\+?|cm\d+\w*|none)$/;

interface Scope {
  model?: string;
  other: boolean;
}

function appliesTo(scope: Scope, filters: string[]): boolean {
  return !scope.other && (scope.model === undefined || filters.includes(scope.model));
}

function nextScope(scope: Scope, header: string): Scope {
  const filter = header.toLowerCase();
  if (filter === 'all') return { other: false };
  if (MODEL_FILTER.test(filter)) return { model: filter, other: scope.other };
  return { model: scope.model, other: true };
}

/** Lines that set `key` and apply to this board, with their values (last one wins). */
export function settingsFor(text: string, key: string, filters: string[]): { index: number; value: string }[] {
  const found: { index: number; value: string }[] = [];
  let scope: Scope = { other: false };
  splitLines(text).lines.forEach((raw, index) => {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header?.[1]) {
      scope = nextScope(scope, header[1]);
      return;
    }
    const match = new RegExp(`^${key}\\s*=\\s*(\\S*)`).exec(line);
    if (match && appliesTo(scope, filters)) found.push({ index, value: match[1] ?? '' });
  });
  return found;
}

/** The value of `key` this board sees, or undefined when no applying line sets it. */
export function effectiveSetting(text: string, key: string, filters: string[]): string | undefined {
  return settingsFor(text, key, filters).at(-1)?.value;
}

/**
 * Sets `key=value` for this board: every applying line that sets the key gets the value; with none,
 * the line is appended, after an `[all]` line unless the file already ends outside any filter (so
 * it is not caught by a trailing `[cm5]` section). Undefined when the board already sees the value.
 */
export function setConfigValue(text: string, key: string, value: string, filters: string[]): string | undefined {
  const existing = settingsFor(text, key, filters);
  if (existing.at(-1)?.value === value && existing.every((e) => e.value === value)) return undefined;
  const parsed = splitLines(text);
  const lines = [...parsed.lines];
  if (existing.length > 0) {
    for (const { index } of existing) lines[index] = `${key}=${value}`;
    return joinLines({ lines, trailingNewline: parsed.trailingNewline });
  }
  let scope: Scope = { other: false };
  for (const line of lines) {
    const header = /^\[([^\]]+)\]/.exec(line.trim());
    if (header?.[1]) scope = nextScope(scope, header[1]);
  }
  if (scope.model !== undefined || scope.other) lines.push('[all]');
  lines.push(`${key}=${value}`);
  return joinLines({ lines, trailingNewline: true });
}
