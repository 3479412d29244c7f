/**
 * Line helpers shared by the planners that edit files in place: split into lines and join back
 * without losing or inventing a trailing newline, and replace a marked block kbootstrap owns.
 */
import { UserError } from '../errors.js';

export interface Lines {
  lines: string[];
  /** Whether the text ended with "\n" (an empty text counts as ending with one). */
  trailingNewline: boolean;
}

export function splitLines(text: string): Lines {
  if (text === '') return { lines: [], trailingNewline: true };
  const trailingNewline = text.endsWith('\n');
  const body = trailingNewline ? text.slice(0, -1) : text;
  return { lines: body.split('\n'), trailingNewline };
}

export function joinLines({ lines, trailingNewline }: Lines): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (trailingNewline ? '\n' : '');
}

/** Where a `begin`…`end` block is: line indexes of both markers, or undefined when absent. */
export function findBlock(lines: string[], begin: string, end: string, path: string): { start: number; end: number } | undefined {
  const start = lines.findIndex((l) => l.trim() === begin);
  if (start < 0) return undefined;
  const stop = lines.findIndex((l, i) => i > start && l.trim() === end);
  if (stop < 0) {
    throw new UserError(`${path} has a "${begin}" line without its "${end}" line`, {
      hint: `Fix or remove the kbootstrap block in ${path} by hand, then run again.`,
    });
  }
  return { start, end: stop };
}

/**
 * Puts `block` (lines including both markers) where the existing block is, or appends it at the end
 * after a blank line. `block` null removes an existing block. Every other line is kept as it was.
 */
export function replaceBlock(text: string, begin: string, end: string, block: string[] | null, path: string): string {
  const parsed = splitLines(text);
  const lines = [...parsed.lines];
  const found = findBlock(lines, begin, end, path);
  if (found) {
    lines.splice(found.start, found.end - found.start + 1, ...(block ?? []));
    // Removing a block we appended also removes the blank line we put before it.
    if (!block && found.start > 0 && found.start === lines.length && lines[found.start - 1] === '') lines.pop();
  } else if (block) {
    if (lines.length > 0 && lines[lines.length - 1]?.trim() !== '') lines.push('');
    lines.push(...block);
  }
  // Appending always ends the file with a newline; an edit in the middle keeps what the file had.
  return joinLines({ lines, trailingNewline: found ? parsed.trailingNewline || found.end === parsed.lines.length - 1 : true });
}

/** The mode a FileFact reports ("600") as a number, or undefined. */
export function parseMode(mode: string | undefined): number | undefined {
  if (!mode || !/^[0-7]{3,4}$/.test(mode)) return undefined;
  return parseInt(mode, 8);
}
