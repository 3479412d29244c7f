import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../errors.js';
import { change } from './change.js';
import { refreshFacts } from './facts.js';
import type { Phase } from './manager.js';
import { rollOut } from './rolling.js';
import { candidateHosts, firstAnswering } from './connect.js';
import type { Transport } from '../ssh/transport.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';
import { clearRebootPending } from './reboot-pending.js';
import { InterruptedError, stopRequested } from './interrupt.js';
import { ConnectionLostError } from '../ssh/errors.js';

/** Lives in /run (a tmpfs), so its absence after reconnecting proves the node really rebooted. */
const MARKER = '/run/kbootstrap-reboot-pending';
const POLL_MS = 2000;

/** Detached so the reboot does not cut the SSH channel before the command returns. */
export const REBOOT_COMMAND = `touch ${MARKER} && setsid sh -c 'sleep 1; systemctl reboot' >/dev/null 2>&1 </dev/null &`;

export async function rebootAndWait(ctx: RunContext, state: NodeState): Promise<void> {
  const t = requireTransport(state);
  await t.run(REBOOT_COMMAND, { sudo: true, description: 'reboot' });
  await t.close().catch(() => undefined);
  const deadline = Date.now() + ctx.inventory.prepare.rebootTimeout * 1000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    if (stopRequested(ctx)) {
      throw new InterruptedError(`interrupted while waiting for ${state.node.name} to come back from its reboot; the next run checks it`);
    }
    const host = await reconnectAny(t, candidateHosts(state)).catch((err: unknown) => {
      lastError = err;
      return undefined;
    });
    if (!host) continue;
    state.host = host;
    // A node that has just come back may drop the connection again (its network stack moving to the
    // static address, or a slow boot missing SSH keepalives): not back yet, so keep polling.
    const pending = await t.exec(`test -e ${MARKER}`, { sudo: true }).catch((err: unknown) => {
      if (!(err instanceof ConnectionLostError)) throw err;
      lastError = err;
      return undefined;
    });
    if (pending && pending.code !== 0) return;
    await t.close().catch(() => undefined);
  }
  throw new UserError(`${state.node.name} did not come back within ${ctx.inventory.prepare.rebootTimeout} s after the reboot${dhcpNote(state)}`, {
    where: { node: state.node.name },
    hint: `tried ${candidateHosts(state).join(', ')}; ${state.node.target ? "check the node's console and network, then run again" : "look up the node's new address in your router's DHCP leases, put it in the inventory (or give the node a staticIp), then run again"}` +
      (lastError instanceof Error ? ` (last error: ${lastError.message})` : ''),
  });
}

/** A node on DHCP (no static IP asked) may come back on another address: say so. */
function dhcpNote(state: NodeState): string {
  return state.node.target ? '' : `; it has no static IP, so its DHCP lease may have given it a new address instead of ${state.host ?? state.node.connect.host}`;
}

/** Reopens the same transport (its counters go on) on the first address that answers. */
async function reconnectAny(t: Transport, hosts: string[]): Promise<string> {
  const reconnect = t.reconnect?.bind(t);
  if (!reconnect) throw new Error(`the connection to ${t.node} cannot be reopened after the reboot`);
  return (await firstAnswering(hosts, (h) => reconnect(h))).host;
}

/**
 * Reboots every node whose boot config or network changed (or whose reboot an earlier run left pending)
 * and checks each came back: fresh nodes all at once, nodes already in the cluster rolling (rolling.ts).
 */
export const rebootPhase: Phase = {
  title: 'Reboot',
  select: (ctx) => ctx.states.filter((s) => !s.error && s.rebootRequired),
  run: (ctx, nodes) =>
    rollOut(ctx, 'reboot', nodes, async (state) => {
      await change(ctx, state, `reboot (${state.rebootReasons.join(', ')})`, async () => {
        ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'reboot', status: 'running', text: 'rebooting' });
        await rebootAndWait(ctx, state);
        state.rebooted = true;
        await clearRebootPending(state);
        await refreshFacts(state);
      });
      if (!ctx.dryRun) {
        ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'reboot', status: 'done', text: `back on ${state.host}` });
      }
    }),
};
