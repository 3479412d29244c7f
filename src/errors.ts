/** Where a problem is: any of a node, a file position. Rendered as `node kmaster: inventory.yaml:12:5`. */
export interface Where {
  node?: string;
  file?: string;
  line?: number;
  column?: number;
}

export const ExitCode = {
  ok: 0,
  userError: 1,
  usage: 2,
  partialFailure: 3,
  /** Stopped by Ctrl-C / SIGTERM (128 + SIGINT). */
  interrupted: 130,
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem the user can fix: what went wrong, where, and what to do next. */
export class UserError extends Error {
  readonly hint?: string;
  readonly where?: Where;
  readonly exitCode: ExitCode;
  constructor(message: string, opts: { hint?: string; where?: Where; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'UserError';
    this.hint = opts.hint;
    this.where = opts.where;
    this.exitCode = opts.exitCode ?? ExitCode.userError;
  }
}

/** The command line itself was wrong (unknown option, missing argument). */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}

/** A bug in kbootstrap: reported with its stack, exit 70. */
export class InternalError extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'InternalError';
  }
}

export function formatWhere(where: Where | undefined): string {
  if (!where) return '';
  const parts: string[] = [];
  if (where.node) parts.push(`node ${where.node}`);
  if (where.file) {
    let pos = where.file;
    if (where.line !== undefined) pos += `:${where.line}`;
    if (where.line !== undefined && where.column !== undefined) pos += `:${where.column}`;
    parts.push(pos);
  }
  return parts.join(': ');
}
