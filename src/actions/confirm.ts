import { UserError } from '../errors.js';
import type { CommandContext } from './options.js';

/**
 * Shows `summary` and asks before anything on the nodes changes. --yes answers yes without asking;
 * a run that cannot ask (no terminal, --json, no prompt handed in) stops with a message saying to pass
 * --yes. Returns false when the user says no.
 */
export async function confirmChanges(summary: string, cmd: CommandContext, question = 'Apply these changes to the nodes?'): Promise<boolean> {
  if (summary.trim() !== '') cmd.log.emit({ kind: 'message', level: 'info', text: summary });
  if (cmd.options.yes) return true;
  if (!cmd.options.interactive || !cmd.ask) {
    throw new UserError('kbootstrap needs a yes before it changes the nodes, and cannot ask here (no terminal, or --json)', {
      hint: 'look at `kbootstrap plan` first, then run again with --yes',
    });
  }
  return cmd.ask(question);
}
