import { verifyNode } from '../verify/verify.js';
import { UserError } from '../errors.js';
import { refreshFacts } from './facts.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import { requireFacts } from './context.js';

/**
 * Checks the preparation took: memory cgroup, address, hostname, boot files, swap. Nodes that changed
 * without a reboot get fresh facts first; unchanged nodes are checked on the facts already gathered.
 */
export const verifyPhase: Phase = {
  title: 'Verify nodes',
  select: (ctx) => (ctx.dryRun ? [] : ctx.states.filter((s) => !s.error)),
  run: (ctx, nodes) =>
    runPerNode(ctx, 'verify', nodes, async (state) => {
      if (state.changes > 0 && !state.rebooted) await refreshFacts(state);
      const result = verifyNode(state.node, requireFacts(state), ctx.inventory);
      const failed = result.checks.filter((c) => !c.ok);
      if (failed.length > 0) {
        throw new UserError(`verification failed: ${failed.map((c) => `${c.name}: expected ${c.expected}, saw ${c.seen}`).join('; ')}`, {
          where: { node: state.node.name },
        });
      }
      ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'verify', status: 'done', text: `${result.checks.length} checks passed` });
    }),
};
