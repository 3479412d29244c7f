import type { LogEvent, Logger } from './events.js';
import { redactDeep, secretVariants } from './redact.js';
import { styleFor } from './style.js';
import { createTtyView } from './tty-view.js';
import { createJsonView, createPlainView, type LogView, type OutputStream } from './views.js';

export type LogMode = 'tty' | 'plain' | 'json';

export interface LoggerOptions {
  mode: LogMode;
  /** Show debug messages (and diffs of applied changes). */
  verbose: boolean;
  /** ANSI colours in the tty view (plain and json never have any). */
  color: boolean;
  /** Default process.stdout. */
  stream?: OutputStream;
  /** Warnings and errors of the text views. Default process.stderr; json writes everything to `stream`. */
  errorStream?: OutputStream;
  /** Force the tty view's spinner on/off (default: ora decides from the stream). */
  spinner?: boolean;
}

/** tty when stdout is a terminal and the user did not ask for --json; plain for pipes and CI. */
export function chooseLogMode(opts: { json: boolean; stdoutIsTTY: boolean }): LogMode {
  if (opts.json) return 'json';
  return opts.stdoutIsTTY ? 'tty' : 'plain';
}

export interface KbootstrapLogger extends Logger {
  readonly mode: LogMode;
}

/**
 * The Logger every command gets. emit() redacts every registered secret from every string of the
 * event (the one place redaction happens), drops debug messages unless verbose, then hands the
 * event to the chosen view.
 */
export function createLogger(options: LoggerOptions): KbootstrapLogger {
  const out = options.stream ?? process.stdout;
  const err = options.errorStream ?? process.stderr;
  const view = createView(options, out, err);
  const secrets: string[] = [];
  let closed = false;

  return {
    mode: options.mode,
    emit(event: LogEvent) {
      if (closed) return;
      if (event.kind === 'message' && event.level === 'debug' && !options.verbose) return;
      view.render(redactDeep(event, secrets));
    },
    addSecret(secret: string) {
      for (const v of secretVariants(secret)) if (!secrets.includes(v)) secrets.push(v);
    },
    close() {
      if (closed) return;
      closed = true;
      view.close();
    },
  };
}

function createView(options: LoggerOptions, out: OutputStream, err: OutputStream): LogView {
  switch (options.mode) {
    case 'json':
      return createJsonView({ out, err });
    case 'plain':
      return createPlainView({ out, err }, { verbose: options.verbose });
    case 'tty':
      return createTtyView(
        { out, err },
        { verbose: options.verbose, color: options.color, style: styleFor(options.color), ...(options.spinner === undefined ? {} : { spinnerEnabled: options.spinner }) },
      );
  }
}

/** A logger that keeps events in memory, for tests of code that logs. Secrets are redacted too. */
export function createMemoryLogger(): Logger & { events: LogEvent[] } {
  const events: LogEvent[] = [];
  const secrets: string[] = [];
  return {
    events,
    emit(event) {
      events.push(redactDeep(event, secrets));
    },
    addSecret(secret) {
      for (const v of secretVariants(secret)) if (!secrets.includes(v)) secrets.push(v);
    },
    close() {},
  };
}
