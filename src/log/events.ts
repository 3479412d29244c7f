/**
 * Every line kbootstrap prints is one of these events. The three views (live TTY, plain lines,
 * JSON lines) each format them; nothing else writes to stdout/stderr.
 * Secrets must never be put into an event: redact before emitting (see log/redact.ts).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogEvent =
  | { kind: 'message'; level: LogLevel; text: string; node?: string }
  /** A phase of the run starts or ends (e.g. "Gather facts"). */
  | { kind: 'phase-start'; phase: string; nodes: string[] }
  | { kind: 'phase-end'; phase: string; ok: boolean; skipped?: boolean }
  /** A step on one node: running, done, failed, or (dry run) planned. */
  | { kind: 'node-step'; node: string; phase: string; status: 'running' | 'done' | 'failed' | 'planned' | 'unchanged'; text: string; detail?: string }
  /** A planned or applied change, with an optional unified diff of a file. */
  | { kind: 'change'; node: string; description: string; applied: boolean; diff?: string }
  /** End-of-run per-node summary. */
  | { kind: 'summary'; nodes: NodeSummary[] }
  /** A table of rows (e.g. the final node table); the views choose the layout. */
  | { kind: 'table'; title: string; columns: string[]; rows: string[][] }
  /** A structured result for --json consumers (validate problems, status, plan). */
  | { kind: 'result'; command: string; data: unknown }
  /** The error that ends a run (from main's top-level catch): what, where, what to do next. */
  | { kind: 'error'; message: string; exitCode: number; where?: string; hint?: string; node?: string; stack?: string };

export interface NodeSummary {
  node: string;
  outcome: 'changed' | 'unchanged' | 'failed' | 'skipped';
  changes: number;
  error?: string;
}

export interface Logger {
  emit(event: LogEvent): void;
  /** Register a secret: any later event containing it has it replaced by `***`. */
  addSecret(secret: string): void;
  /** Flush and stop spinners; call once at exit. */
  close(): void;
}
