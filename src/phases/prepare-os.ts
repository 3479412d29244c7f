import { planNodePreparation } from '../os/plan.js';
import { applyChanges } from './change.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import { requireFacts } from './context.js';

/** Hostname, /etc/hosts, static IP, cgroups in cmdline.txt, gpu_mem, swap: only what differs. */
export const prepareOsPhase: Phase = {
  title: 'Prepare nodes',
  run: (ctx, nodes) =>
    runPerNode(ctx, 'prepare', nodes, async (state) => {
      const plan = planNodePreparation(state.node, requireFacts(state), ctx.inventory);
      if (plan.changes.length === 0) {
        ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'prepare', status: 'unchanged', text: 'already prepared' });
        return;
      }
      await applyChanges(ctx, state, plan.changes);
      state.rebootRequired ||= plan.rebootRequired;
      state.rebootReasons.push(...plan.rebootReasons);
      ctx.log.emit({
        kind: 'node-step', node: state.node.name, phase: 'prepare', status: ctx.dryRun ? 'planned' : 'done',
        text: `${plan.changes.length} change(s)${plan.rebootRequired ? `; reboot needed: ${plan.rebootReasons.join(', ')}` : ''}`,
      });
    }),
};
