import { ensureFirstServerUp } from './k3s-cluster.js';
import { installK3s, k3sInstallPlan, type JoinInfo } from './k3s-install.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import { inCluster, rollOut } from './rolling.js';
import { type NodeState, type RunContext } from './context.js';

/**
 * Whether installing k3s on this node restarts its k3s (binary, config or unit differ). A rewritten
 * registration-label drop-in alone is read by k3s at its next start and restarts nothing: no drain.
 */
function k3sWouldRestart(ctx: RunContext, state: NodeState, join: JoinInfo): boolean {
  return k3sInstallPlan(ctx, state, join).restartNeeded;
}

/**
 * Agents join or follow the cluster's k3s: fresh agents (and agents whose k3s stays as it is) in
 * parallel; agents already in the cluster whose k3s changes (an upgrade, a new config) are restarted
 * the rolling way: drained first, `--max-unavailable` at a time, uncordoned when Ready. An agent whose
 * k3s does not change is neither drained nor restarted.
 */
export const k3sAgentsRollingPhase: Phase = {
  title: 'k3s agents',
  select: (ctx) => ctx.states.filter((s) => !s.error && s.node.role === 'agent'),
  async run(ctx, nodes) {
    ensureFirstServerUp(ctx);
    // The agent token: the server token is admin-equivalent.
    const join: JoinInfo = { serverUrl: ctx.shared.serverUrl, token: ctx.shared.agentToken ?? '<agent token of the first server>' };
    const install = (state: NodeState) => installK3s(ctx, state, join).then(() => undefined);
    const rolling = nodes.filter((s) => inCluster(s) && k3sWouldRestart(ctx, s, join));
    await runPerNode(ctx, 'k3s-agent', nodes.filter((s) => !rolling.includes(s)), install);
    await rollOut(ctx, 'k3s-agent', rolling, install);
  },
};
