/**
 * The image × architecture table of an image check, as data (`imageTable`, which a `table` log event
 * carries to the TTY, plain and --json views) and as aligned lines (`formatImageTable`). Pure.
 */
import type { LogEvent } from '../../log/events.js';
import { alignColumns } from '../../log/table.js';
import type { ImageCheckReport } from './check.js';

export const IMAGE_MARK = { yes: '✔', no: '✘', unknown: '?' } as const;

export interface ImageTable {
  title: string;
  columns: string[];
  rows: string[][];
}

/** One row per image: component, reference, a mark per architecture, and the first problem that is not a missing architecture. */
export function imageTable(report: ImageCheckReport): ImageTable {
  const columns = ['COMPONENT', 'IMAGE', ...report.architectures, 'NOTE'];
  const rows = report.images.map((img) => {
    const marks = report.architectures.map((arch) => {
      const has = img.supports[arch];
      return has === undefined ? IMAGE_MARK.unknown : has ? IMAGE_MARK.yes : IMAGE_MARK.no;
    });
    const other = img.problems.find((p) => p.kind !== 'missing-architecture');
    const note = other ? other.kind : img.problems.length > 0 ? `override: ${img.overrideKey}` : img.fromCache ? 'cached' : '';
    return [img.component, img.ref, ...marks, note];
  });
  const title = report.skipped
    ? 'Images (not checked: offline)'
    : `Images × architecture (${report.images.length} image(s), ${report.problems.length} problem(s))`;
  return { title, columns, rows };
}

/** The table as text lines: title, header, rows. */
export function formatImageTable(report: ImageCheckReport): string[] {
  const table = imageTable(report);
  return [table.title, ...alignColumns([table.columns, ...table.rows])];
}

/**
 * What a command emits for a report: the table (the TTY and plain views lay it out), a warning per
 * skipped check, and the whole report as a `result` for --json consumers.
 */
export function imageCheckEvents(report: ImageCheckReport): LogEvent[] {
  const events: LogEvent[] = [];
  if (!report.skipped) events.push({ kind: 'table', ...imageTable(report) });
  for (const text of report.warnings) events.push({ kind: 'message', level: 'warn', text });
  events.push({ kind: 'result', command: 'image-check', data: report });
  return events;
}
