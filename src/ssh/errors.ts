import { UserError } from '../errors.js';
import { redactString } from '../log/redact.js';

/** A command on a node exited non-zero. The message names the node and what was being done. */
export class NodeCommandError extends UserError {
  readonly node: string;
  readonly description: string;
  readonly code: number;
  readonly stderrTail: string;
  constructor(node: string, description: string, code: number, stderrTail: string) {
    super(`${description} failed on ${node} (exit ${code})${stderrTail ? `: ${stderrTail}` : ''}`, {
      where: { node },
      hint: 'The output above is the end of the command\'s error output on the node.',
    });
    this.name = 'NodeCommandError';
    this.node = node;
    this.description = description;
    this.code = code;
    this.stderrTail = stderrTail;
  }
}

/** The SSH connection went away while a command was running (cable pulled, node powered off, keepalive timeout). */
export class ConnectionLostError extends UserError {
  constructor(node: string, address: string, during: string, cause?: unknown) {
    super(`connection to ${node} (${address}) lost during: ${during}`, {
      where: { node },
      hint: 'Check the node\'s power and network cable, then re-run: finished steps are not repeated.',
      cause,
    });
    this.name = 'ConnectionLostError';
  }
}

/** Last lines of a command's error output, with every known secret replaced by `***`. */
export function stderrTail(stderr: string, secrets: readonly string[], maxLines = 8, maxChars = 800): string {
  let text = redactString(stderr, secrets).trim();
  const lines = text.split('\n');
  if (lines.length > maxLines) text = lines.slice(-maxLines).join('\n');
  if (text.length > maxChars) text = `…${text.slice(-maxChars)}`;
  return text;
}

export type SudoProblem = 'password-rejected' | 'password-required' | 'not-allowed';

/** Recognises sudo's own refusals in a command's stderr (as opposed to the command failing). */
export function sudoProblem(code: number, stderr: string): SudoProblem | undefined {
  if (code === 0) return undefined;
  if (/incorrect password attempt|^Sorry, try again\.?$|no password was provided/m.test(stderr)) return 'password-rejected';
  if (/^sudo: (a password is required|a terminal is required)/m.test(stderr)) return 'password-required';
  if (/^.*is not in the sudoers file|^Sorry, user \S+ is not allowed to execute/m.test(stderr)) return 'not-allowed';
  return undefined;
}

export function sudoError(node: string, user: string, problem: SudoProblem): UserError {
  switch (problem) {
    case 'password-rejected':
      return new UserError(`sudo password rejected on ${node}`, {
        where: { node },
        hint: `Check the sudo password of "${user}" (ssh.sudoPassword, or ssh.password when they are the same).`,
      });
    case 'password-required':
      return new UserError(`sudo on ${node} needs a password for "${user}"`, {
        where: { node },
        hint: 'Set ssh.sudoPassword (an env variable or a file) for this node, or allow NOPASSWD sudo for this user.',
      });
    case 'not-allowed':
      return new UserError(`user "${user}" may not use sudo on ${node}`, {
        where: { node },
        hint: `Add "${user}" to the sudo group on the node, or log in as a user who may.`,
      });
  }
}

export function isDiskFull(stderr: string): boolean {
  return /No space left on device|ENOSPC/.test(stderr);
}
