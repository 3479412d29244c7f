import { UserError } from '../errors.js';
import { DeclinedError } from './errors.js';
import type { Phase } from './manager.js';
import { runPhases } from './manager.js';
import type { RunContext } from './context.js';

/** Every node of the run (not only the live ones): a step that is about the run, not about a node. */
const wholeRun = (ctx: RunContext) => ctx.states;

/** A no ends the run (DeclinedError); a run with no way to ask stops with an error, never as a silent yes. */
async function askOrStop(ctx: RunContext, summary: string, question?: string): Promise<void> {
  if (!ctx.confirm) throw new UserError('this step needs a yes and this run has no way to ask', { hint: 'run again with --yes' });
  if (!(await ctx.confirm(summary, question))) throw new DeclinedError(question ?? 'apply the changes');
}

/**
 * Asks before a destructive command changes anything (reset, remove-node); left out under --dry-run.
 * A no ends the run with nothing changed (DeclinedError, exit 0).
 */
export function confirmPhase(question: string, summary: (ctx: RunContext) => string = () => ''): Phase {
  return {
    title: 'Confirm',
    quiet: true,
    select: (ctx) => (ctx.dryRun ? [] : wholeRun(ctx)),
    run: (ctx) => askOrStop(ctx, summary(ctx), question),
  };
}

/**
 * init's preview: runs `work` (the phases after it) with dryRun, from the facts already gathered (the
 * same phases and change() path as the run: nothing is downloaded or written), says what would change,
 * then asks. Left out under --dry-run (the run is the preview) and --yes. --skip-prepare still asks:
 * it only leaves the preparation out of `work`.
 */
export function previewPhase(work: Phase[]): Phase {
  return {
    title: 'Preview',
    quiet: true,
    select: (ctx) => (ctx.dryRun || ctx.yes ? [] : wholeRun(ctx)),
    async run(ctx) {
      await runPhases({ ...ctx, dryRun: true }, work);
      const pending = ctx.states
        .filter((s) => !s.error && s.changes > 0)
        .map((s) => `${s.node.name}: ${s.changes} change(s)${s.rebootRequired ? ', then a reboot' : ''}`);
      for (const s of ctx.states) Object.assign(s, { changes: 0, rebootRequired: false, rebootReasons: [] });
      const summary = pending.length > 0 ? `Planned (listed above): ${pending.join('; ')}.` : 'Nothing to change: every node is prepared and k3s is configured.';
      await askOrStop(ctx, summary);
    },
  };
}

/** A line for the user once the work is done (a reboot still due, the next command to try). */
export function noticePhase(text: (ctx: RunContext) => string | undefined): Phase {
  return {
    title: 'Notice',
    quiet: true,
    select: (ctx) => (text(ctx) === undefined ? [] : wholeRun(ctx)),
    run: async (ctx) => ctx.log.emit({ kind: 'message', level: 'info', text: text(ctx)! }),
  };
}
