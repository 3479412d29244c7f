import { planK3sInstall } from '../k3s/plan.js';
import { applyChanges } from './change.js';
import { k3sVersionOf } from './k3s-version.js';
import { requireFacts, requireTransport, type NodeState, type RunContext } from './context.js';

export interface JoinInfo {
  serverUrl?: string;
  token?: string;
  clusterInit?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Installs or reconfigures k3s on one node when its binary, config or units differ; otherwise nothing. */
export async function installK3s(ctx: RunContext, state: NodeState, join: JoinInfo): Promise<boolean> {
  const facts = requireFacts(state);
  const binary = ctx.shared.binaries.get(archOf(state));
  const version = k3sVersionOf(ctx);
  const plan = planK3sInstall(state.node, facts, ctx.inventory, { ...join, binary, version });
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

export function archOf(state: NodeState): string {
  const arch = requireFacts(state).arch;
  return arch === 'aarch64' || arch === 'arm64' ? 'arm64' : arch === 'armv7l' ? 'armhf' : 'amd64';
}

export function serviceName(state: NodeState): string {
  return state.node.role === 'server' ? 'k3s' : 'k3s-agent';
}

/** Waits until systemd reports the unit active (k3s servers need a while to write their token). */
export async function waitForService(ctx: RunContext, state: NodeState, timeoutMs = 180_000): Promise<void> {
  const t = requireTransport(state);
  const unit = serviceName(state);
  const deadline = Date.now() + timeoutMs;
  const tokenCheck = state.node.role === 'server' ? ' && test -s /var/lib/rancher/k3s/server/token' : '';
  for (;;) {
    const r = await t.exec(`systemctl is-active --quiet ${unit}${tokenCheck}`, { sudo: true });
    if (r.code === 0) return;
    if (Date.now() > deadline) {
      const status = await t.exec(`systemctl status --no-pager --lines=5 ${unit}`, { sudo: true });
      throw new Error(`${unit} did not become active within ${timeoutMs / 1000} s:\n${status.stdout.trim()}`);
    }
    await sleep(2000);
  }
}

/** The join token stays in memory only; registering it with the logger keeps it out of every view. */
export async function readToken(ctx: RunContext, server: NodeState): Promise<string> {
  const token = (await requireTransport(server).run('cat /var/lib/rancher/k3s/server/token', { sudo: true })).trim();
  ctx.log.addSecret(token);
  const secretPart = token.split('::server:')[1];
  if (secretPart) ctx.log.addSecret(secretPart);
  return token;
}
