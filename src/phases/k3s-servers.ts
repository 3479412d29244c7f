import { ensureFirstServerUp, serverAddress, servers } from './k3s-cluster.js';
import { AGENT_TOKEN_PATH, agentTokenSecret, installK3s, readToken, type JoinInfo } from './k3s-install.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import { serverTurn } from './rolling.js';

/**
 * The first server starts (cluster-init with HA), then further servers join one at a time so etcd
 * membership grows by one member at a time. On a live cluster (an upgrade, a changed config) each
 * server whose k3s restarts is Ready again before the next one's turn (rolling.ts serverTurn).
 */
export const k3sServersPhase: Phase = {
  title: 'k3s servers',
  select: (ctx) => servers(ctx).filter((s) => !s.error),
  async run(ctx, nodes) {
    const first = ensureFirstServerUp(ctx);
    const agentToken = await agentTokenSecret(ctx, first);
    await runPerNode(ctx, 'k3s-server', [first], (state) => serverTurn(ctx, state, (s) => installK3s(ctx, s, { clusterInit: ctx.inventory.k3s.ha, agentToken })));
    ensureFirstServerUp(ctx);
    ctx.shared.serverUrl = `https://${serverAddress(first)}:6443`;
    if (!ctx.dryRun || first.facts?.k3s.installed) {
      ctx.shared.token = await readToken(ctx, first);
      ctx.shared.agentToken = await readToken(ctx, first, AGENT_TOKEN_PATH);
    }
    const join: JoinInfo = { serverUrl: ctx.shared.serverUrl, token: ctx.shared.token ?? '<token of the first server>', agentToken };
    await runPerNode(ctx, 'k3s-server', nodes.filter((s) => s !== first), (state) => serverTurn(ctx, state, (s) => installK3s(ctx, s, join)), 1);
  },
};
