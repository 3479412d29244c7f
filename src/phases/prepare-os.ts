import { planNodePreparation } from '../os/plan.js';
import { applyChanges } from './change.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import { requireFacts } from './context.js';
import { pendingFromEarlierRun, recordRebootPending } from './reboot-pending.js';

/** Hostname, /etc/hosts, static IP, cgroups in cmdline.txt, gpu_mem, swap: only what differs. */
export const prepareOsPhase: Phase = {
  title: 'Prepare nodes',
  run: (ctx, nodes) =>
    runPerNode(ctx, 'prepare', nodes, async (state) => {
      const plan = planNodePreparation(state.node, requireFacts(state), ctx.inventory);
      const earlier = pendingFromEarlierRun(state);
      if (earlier.length > 0) {
        state.rebootRequired = true;
        state.rebootReasons.push(...earlier);
      }
      if (plan.changes.length === 0) {
        ctx.log.emit({
          kind: 'node-step', node: state.node.name, phase: 'prepare', status: 'unchanged',
          text: earlier.length > 0 ? `already prepared; reboot still pending: ${earlier.join(', ')}` : 'already prepared',
        });
        return;
      }
      // Recorded before the changes that need it: a run cut short after them is finished by the next.
      if (plan.rebootRequired) await recordRebootPending(ctx, state, plan.rebootReasons);
      await applyChanges(ctx, state, plan.changes);
      state.rebootRequired ||= plan.rebootRequired;
      state.rebootReasons.push(...plan.rebootReasons);
      ctx.log.emit({
        kind: 'node-step', node: state.node.name, phase: 'prepare', status: ctx.dryRun ? 'planned' : 'done',
        text: `${plan.changes.length} change(s)${plan.rebootRequired ? `; reboot needed: ${plan.rebootReasons.join(', ')}` : ''}`,
      });
    }),
};
