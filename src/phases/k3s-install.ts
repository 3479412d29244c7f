import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { isSecretRefValue, readSecret } from '../inventory/secrets.js';
import { secretArgKeys } from '../k3s/config.js';
import { planK3sInstall } from '../k3s/plan.js';
import { parseK3sToken, tokenSecrets } from '../k3s/token.js';
import { k3sArchOf, type K3sArch } from '../k3s/release.js';
import { applyChanges } from './change.js';
import { k3sVersionOf } from './k3s-version.js';
import { requireFacts, requireTransport, type NodeState, type RunContext } from './context.js';
import { serverSnapshot } from './server-snapshot.js';

export interface JoinInfo {
  serverUrl?: string;
  token?: string;
  clusterInit?: boolean;
  /** Servers: the agent-token secret (see K3sJoin.agentToken). */
  agentToken?: string;
}

export const SERVER_TOKEN_PATH = '/var/lib/rancher/k3s/server/token';
export const AGENT_TOKEN_PATH = '/var/lib/rancher/k3s/server/agent-token';

/** Installs or reconfigures k3s on one node when its binary, config or units differ; otherwise nothing. */
export async function installK3s(ctx: RunContext, state: NodeState, join: JoinInfo): Promise<boolean> {
  const facts = requireFacts(state);
  const version = k3sVersionOf(ctx);
  const plan = k3sInstallPlan(ctx, state, join);
  const phase = state.node.role === 'server' ? 'k3s-server' : 'k3s-agent';
  if (plan.changes.length === 0) {
    ctx.log.emit({ kind: 'node-step', node: state.node.name, phase, status: 'unchanged', text: `k3s ${facts.k3s.version ?? ''} already configured` });
    return false;
  }
  ctx.log.emit({ kind: 'node-step', node: state.node.name, phase, status: 'running', text: `${plan.action} k3s ${version}` });
  await applyChanges(ctx, state, plan.changes);
  if (!ctx.dryRun) await waitForService(ctx, state);
  ctx.log.emit({ kind: 'node-step', node: state.node.name, phase, status: ctx.dryRun ? 'planned' : 'done', text: `${plan.action} k3s ${version}` });
  return true;
}

/** What installing k3s on this node would change: the one plan both the install and the rolling decision read. */
export function k3sInstallPlan(ctx: RunContext, state: NodeState, join: JoinInfo): ReturnType<typeof planK3sInstall> {
  const binary = ctx.shared.binaries.get(archOf(state));
  const secretArgs = readSecretArgs(ctx, state);
  return planK3sInstall(state.node, requireFacts(state), ctx.inventory, { ...join, binary, secretArgs, version: k3sVersionOf(ctx) });
}

/** The node's k3s architecture (k3s/arch.ts); a machine k3s does not run on was refused at validate and throws here. */
export function archOf(state: NodeState): K3sArch {
  return k3sArchOf(requireFacts(state).arch);
}

export function serviceName(state: NodeState): string {
  return state.node.role === 'server' ? 'k3s' : 'k3s-agent';
}

/** After this many restarts of a unit that never became active, waiting longer only hides the error. */
export const CRASH_LOOP_RESTARTS = 3;

/**
 * Waits until systemd reports the unit active (k3s servers need a while to write their token). Both
 * units are Type=notify, so "active" means k3s said READY=1 (joined); a k3s that keeps exiting stays
 * "activating" and is reported after CRASH_LOOP_RESTARTS restarts with its last log lines instead of
 * at the timeout.
 */
export async function waitForService(ctx: RunContext, state: NodeState, timeoutMs = 180_000, pollMs = 2000): Promise<void> {
  const t = requireTransport(state);
  const unit = serviceName(state);
  const deadline = Date.now() + timeoutMs;
  const tokenCheck = state.node.role === 'server' ? ` && test -s ${SERVER_TOKEN_PATH}` : '';
  for (;;) {
    const r = await t.exec(`systemctl is-active --quiet ${unit}${tokenCheck}`, { sudo: true });
    if (r.code === 0) return;
    const restarts = Number((await t.exec(`systemctl show -p NRestarts --value ${unit}`, { sudo: true })).stdout.trim()) || 0;
    if (restarts >= CRASH_LOOP_RESTARTS || Date.now() > deadline) {
      const journal = await t.exec(`journalctl -u ${unit} --no-pager -n 8 -o cat`, { sudo: true });
      const why = restarts >= CRASH_LOOP_RESTARTS ? `keeps exiting (restarted ${restarts} times)` : `did not become active within ${timeoutMs / 1000} s`;
      throw new Error(`${unit} ${why}:\n${journal.stdout.trim()}`);
    }
    await sleep(pollMs);
  }
}

/**
 * The values of this node's role args given as { env } / { file } (k3s.serverArgs / agentArgs), read
 * on the workstation and registered with the logger so they never reach any view.
 */
export function readSecretArgs(ctx: RunContext, state: NodeState): Record<string, string> {
  const field = state.node.role === 'server' ? 'serverArgs' : 'agentArgs';
  const extra = ctx.inventory.k3s[field];
  const out: Record<string, string> = {};
  for (const key of secretArgKeys(state.node, ctx.inventory)) {
    const ref = extra[key];
    if (!isSecretRefValue(ref)) continue;
    out[key] = readSecret(ref, dirname(ctx.inventory.file), process.env, { what: `k3s.${field}.${key}`, node: state.node.name });
    ctx.log.addSecret(out[key]);
  }
  return out;
}

/** A token file of the first server; it stays in memory only, and registering it with the logger keeps it out of every view. */
export async function readToken(ctx: RunContext, server: NodeState, path = SERVER_TOKEN_PATH): Promise<string> {
  // Read in the first server's facts round trip when nothing changed there since ('' = missing: read live, which fails as before).
  const snapshot = serverSnapshot(server);
  const known = path === SERVER_TOKEN_PATH ? snapshot?.token : path === AGENT_TOKEN_PATH ? snapshot?.agentToken : undefined;
  const token = known || (await requireTransport(server).run(`cat ${path}`, { sudo: true })).trim();
  for (const secret of tokenSecrets(token)) ctx.log.addSecret(secret);
  return token;
}

/**
 * The secret for the servers' `agent-token`: the one the first server already has (its agent-token
 * file holds K10…::node:<secret> once agent-token was set), else a new random one. A file that is
 * still the server token (k3s links agent-token to token when none is set) does not count.
 */
export async function agentTokenSecret(ctx: RunContext, first: NodeState): Promise<string> {
  let secret: string | undefined;
  if (first.facts?.k3s.installed && first.transport) {
    const text = serverSnapshot(first)?.agentToken ?? (await first.transport.exec(`cat ${AGENT_TOKEN_PATH}`, { sudo: true })).stdout.trim();
    const token = parseK3sToken(text);
    if (token?.form === 'secure' && token.user === 'node') secret = token.password;
  }
  secret ??= randomBytes(16).toString('hex');
  ctx.log.addSecret(secret);
  return secret;
}
