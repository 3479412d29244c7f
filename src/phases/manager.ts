import { errorMessage, RunLevelError } from './errors.js';
import { liveStates, type NodeState, type RunContext } from './context.js';
import { stopRequested, throwIfStopped } from './interrupt.js';

/**
 * One step of a run, after k0sctl's phases: `select` picks the nodes that still need the step, the
 * step is skipped when there are none, and every remote change goes through `change()`, so a dry run
 * prints exactly what a real run would do. There is no clean-up hook: a failed node keeps its error
 * and later phases leave it out; the run lock and connections are released by the action.
 */
export interface Phase {
  /** The heading of the step in the output (phase-start / phase-end events). */
  title: string;
  /** Nodes that still need this step; default: every node without an error. None: skipped. */
  select?(ctx: RunContext): NodeState[];
  /** Runs the step. Failures on one node belong on that node (runPerNode); a throw stops the run. */
  run(ctx: RunContext, nodes: NodeState[]): Promise<void>;
  /**
   * A step around the work rather than on the nodes (a confirmation, a notice): no phase-start /
   * phase-end lines of its own, and nothing said when it is skipped.
   */
  quiet?: boolean;
}

export async function runPhases(ctx: RunContext, phases: Phase[]): Promise<void> {
  for (const phase of phases) {
    if (stopRequested(ctx)) {
      ctx.log.emit({ kind: 'message', level: 'warn', text: `interrupted: ${phase.title} and the steps after it were not started` });
      return;
    }
    const nodes = phase.select ? phase.select(ctx) : liveStates(ctx);
    if (nodes.length === 0) {
      if (!phase.quiet) ctx.log.emit({ kind: 'phase-end', phase: phase.title, ok: true, skipped: true });
      continue;
    }
    if (!phase.quiet) ctx.log.emit({ kind: 'phase-start', phase: phase.title, nodes: nodes.map((n) => n.node.name) });
    try {
      await phase.run(ctx, nodes);
    } catch (err) {
      // A phase that gives up because its nodes were interrupted (e.g. no first server) ends the run quietly.
      if (!stopRequested(ctx)) throw err;
    }
    if (!phase.quiet) ctx.log.emit({ kind: 'phase-end', phase: phase.title, ok: nodes.every((n) => !n.error) });
  }
}

/**
 * Runs `fn` for every node with at most `limit` at once. A node whose fn throws is marked failed
 * (reported once, with its name) and the others go on.
 */
export async function runPerNode(
  ctx: RunContext,
  phase: string,
  nodes: NodeState[],
  fn: (state: NodeState) => Promise<void>,
  limit = ctx.inventory.prepare.concurrency,
): Promise<void> {
  const queue = [...nodes];
  const worker = async (): Promise<void> => {
    for (let state = queue.shift(); state; state = queue.shift()) {
      if (state.error) continue;
      try {
        throwIfStopped(ctx, phase);
        await fn(state);
      } catch (err) {
        if (err instanceof RunLevelError) throw err;
        state.error = err instanceof Error ? err : new Error(String(err));
        ctx.log.emit({ kind: 'node-step', node: state.node.name, phase, status: 'failed', text: errorMessage(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, nodes.length) }, worker));
}
