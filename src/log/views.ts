import type { LogEvent } from './events.js';
import { formatEvent } from './format.js';
import { plainStyle, type Style } from './style.js';

/** Where a view writes. process.stdout/stderr fit; tests pass string collectors. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** Terminal width; the spinner needs it. */
  columns?: number;
}

/** A view receives events that are already redacted and filtered by level. */
export interface LogView {
  render(event: LogEvent): void;
  close(): void;
}

export interface ViewStreams {
  out: OutputStream;
  err: OutputStream;
}

/** One line per event, no ANSI codes and no spinners: for CI logs and pipes. */
export function createPlainView(streams: ViewStreams, opts: { verbose: boolean }): LogView {
  return {
    render(event) {
      const { lines, stream } = formatEvent(event, { style: plainStyle, verbose: opts.verbose });
      if (lines.length > 0) streams[stream].write(lines.join('\n') + '\n');
    },
    close() {},
  };
}

/** One JSON object per line on stdout, and nothing else there: for scripts (`--json`). */
export function createJsonView(streams: ViewStreams, now: () => Date = () => new Date()): LogView {
  return {
    render(event) {
      // Tables also come as one object per row, keyed by column, which is what scripts want.
      const extra = event.kind === 'table' ? { records: event.rows.map((row) => Object.fromEntries(event.columns.map((c, i) => [c, row[i] ?? '']))) } : {};
      streams.out.write(JSON.stringify({ ...event, ...extra, time: now().toISOString() }) + '\n');
    },
    close() {},
  };
}

export type { Style };
