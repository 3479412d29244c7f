import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { resolveUserPath } from '../inventory/paths.js';
import { installKey, publicKeyPresent } from '../ssh/connect.js';
import { change } from './change.js';
import type { Phase } from './manager.js';
import { runPerNode } from './manager.js';
import type { NodeState, RunContext } from './context.js';

/**
 * The addresses to try, in order: the static IP first (once a node is prepared it lives there, and its
 * old DHCP lease may now belong to another machine), then the address the inventory says it has now.
 */
export function candidateHosts(state: NodeState): string[] {
  const hosts = [state.node.target?.ip, state.node.connect.host].filter((h): h is string => !!h);
  return [...new Set(hosts)];
}

const NOBODY_ANSWERED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** Only "nobody answered" moves on to the next address; a wrong password or changed host key stops. */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof UserError)) return false;
  const cause = err.cause as { code?: string; level?: string; message?: string } | undefined;
  return NOBODY_ANSWERED.has(cause?.code ?? '') || cause?.level === 'client-timeout' || /Timed out while waiting for handshake/.test(cause?.message ?? '');
}

/** Tries `attempt` on each host in turn; returns the first that answers. Any other error stops. */
export async function firstAnswering<T>(hosts: string[], attempt: (host: string) => Promise<T>): Promise<{ host: string; value: T }> {
  let last: unknown;
  for (const host of hosts) {
    try {
      return { host, value: await attempt(host) };
    } catch (err) {
      last = err;
      if (!isUnreachable(err)) throw err;
    }
  }
  throw last;
}

export async function connectState(ctx: RunContext, state: NodeState): Promise<void> {
  const { host, value } = await firstAnswering(candidateHosts(state), (h) => ctx.connect(state.node, h));
  state.transport = value;
  state.host = host;
}

/** ssh.installKey, like ssh-copy-id, as a change: only when the key is missing, and only planned under --dry-run. */
async function ensurePublicKey(ctx: RunContext, state: NodeState): Promise<void> {
  const t = state.transport;
  if (!state.node.connect.installKey || !t) return;
  const file = resolveUserPath(state.node.connect.installKey, dirname(ctx.inventory.file));
  if (await publicKeyPresent(t, file)) return;
  await change(ctx, state, `install the SSH public key ${file} into ~${state.node.connect.user}/.ssh/authorized_keys`, () => installKey(t, file).then(() => undefined));
}

/** The first step after the confirmation (never during discovery, plan's or status's connect). */
export const installKeyPhase: Phase = {
  title: 'SSH key',
  select: (ctx) => ctx.states.filter((s) => !s.error && s.transport && s.node.connect.installKey),
  run: (ctx, nodes) => runPerNode(ctx, 'ssh-key', nodes, (state) => ensurePublicKey(ctx, state)),
};

export const connectPhase: Phase = {
  title: 'Connect',
  select: (ctx) => ctx.states.filter((s) => !s.error && !s.transport),
  run: (ctx, nodes) =>
    runPerNode(ctx, 'connect', nodes, async (state) => {
      ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'connect', status: 'running', text: `connecting to ${candidateHosts(state).join(' or ')}` });
      await connectState(ctx, state);
      ctx.log.emit({ kind: 'node-step', node: state.node.name, phase: 'connect', status: 'done', text: `connected to ${state.host}` });
    }, nodes.length), // every node at once: connecting only reads (prepare.concurrency bounds the work that changes nodes)
};

export const disconnectPhase: Phase = {
  title: 'Disconnect',
  select: (ctx) => ctx.states.filter((s) => s.transport),
  async run(ctx, nodes) {
    await Promise.all(nodes.map(async (s) => {
      const stats = s.transport?.stats;
      if (stats) {
        ctx.log.emit({ kind: 'message', level: 'debug', node: s.node.name, text: `ssh: ${stats.connections} connection(s), ${stats.execs} round trip(s)` });
        ctx.log.emit({ kind: 'result', command: 'ssh-stats', data: { node: s.node.name, ...stats } });
      }
      await s.transport?.close().catch(() => undefined);
      s.transport = undefined;
    }));
  },
};
