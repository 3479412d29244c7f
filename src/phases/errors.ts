import { formatWhere, UserError } from '../errors.js';

/** One line for a node's failure: the message, and the hint of a UserError. */
export function errorMessage(err: unknown): string {
  if (err instanceof UserError) {
    const where = formatWhere({ ...err.where, node: undefined });
    return [err.message, where && `(${where})`, err.hint && `hint: ${err.hint}`].filter(Boolean).join(' ');
  }
  return err instanceof Error ? err.message : String(err);
}

/** The user said no at a confirmation: the run ends here, with nothing changed after it (exit 0). */
export class DeclinedError extends Error {
  constructor(question: string) {
    super(`declined: ${question}`);
    this.name = 'DeclinedError';
  }
}

/** A failure about the run, not about one node (the run lock): it ends the whole run (exit 1), see runPerNode. */
export class RunLevelError extends UserError {
  constructor(message: string, opts: ConstructorParameters<typeof UserError>[1] = {}) {
    super(message, opts);
    this.name = 'RunLevelError';
  }
}
