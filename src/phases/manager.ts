import { errorMessage } from './errors.js';
import { liveStates, type NodeState, type RunContext } from './context.js';

/**
 * One step of a run, after k0sctl's phases: `prepare` picks the nodes that still need the step,
 * the step is skipped when there are none, and every remote change goes through `change()`, so a
 * dry run prints exactly what a real run would do.
 */
export interface Phase {
  title: string;
  /** Nodes that still need this step; default: every node without an error. */
  select?(ctx: RunContext): NodeState[];
  /** Runs the step. Failures on one node belong on that node (runPerNode); a throw stops the run. */
  run(ctx: RunContext, nodes: NodeState[]): Promise<void>;
}

export async function runPhases(ctx: RunContext, phases: Phase[]): Promise<void> {
  for (const phase of phases) {
    const nodes = phase.select ? phase.select(ctx) : liveStates(ctx);
    if (nodes.length === 0) {
      ctx.log.emit({ kind: 'phase-end', phase: phase.title, ok: true, skipped: true });
      continue;
    }
    ctx.log.emit({ kind: 'phase-start', phase: phase.title, nodes: nodes.map((n) => n.node.name) });
    await phase.run(ctx, nodes);
    ctx.log.emit({ kind: 'phase-end', phase: phase.title, ok: nodes.every((n) => !n.error) });
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
        await fn(state);
      } catch (err) {
        state.error = err instanceof Error ? err : new Error(String(err));
        ctx.log.emit({ kind: 'node-step', node: state.node.name, phase, status: 'failed', text: errorMessage(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, nodes.length) }, worker));
}
