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
