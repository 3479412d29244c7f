import { setTimeout as sleep } from 'node:timers/promises';
import { buildBatchCommand, parseBatchOutput, type KubectlAnswer, type KubectlQuery } from '../addons/kubectl-batch.js';
import { checkQueries, evaluateCheck, type CheckState } from '../addons/readiness.js';
import type { ReadinessCheck } from '../addons/types.js';
import { requireTransport, type NodeState } from './context.js';

/** Poll interval between readiness rounds; KBOOTSTRAP_ADDON_POLL_MS shortens it for tests. */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.KBOOTSTRAP_ADDON_POLL_MS);
  return Number.isFinite(v) && v > 0 ? v : 5000;
}

/** Runs kubectl queries in one round trip on the server; `prefix` output comes back as answer -1. */
export async function askCluster(server: NodeState, queries: KubectlQuery[], prefix?: string): Promise<Map<number, KubectlAnswer>> {
  if (queries.length === 0 && !prefix) return new Map();
  const r = await requireTransport(server).exec(buildBatchCommand(queries, prefix), { sudo: true, description: 'ask the cluster about the addons' });
  return parseBatchOutput(r.stdout);
}

/** Every check's state, one round trip for all of them. */
export async function checkStates(server: NodeState, checks: ReadinessCheck[]): Promise<CheckState[]> {
  const per = checks.map(checkQueries);
  const answers = await askCluster(server, per.flat());
  let i = 0;
  return checks.map((c, k) => {
    const mine = per[k]!.map(() => answers.get(i++));
    return evaluateCheck(c, mine);
  });
}

export type WaitOutcome = { ok: true } | { ok: false; object: string; reason: string };

/**
 * Polls until every check is ready, one failed for good, or the deadline passes; a failure names the
 * object and the cluster's reason (or, at the deadline, what it was still waiting for).
 */
export async function waitForChecks(server: NodeState, checks: ReadinessCheck[], timeoutMs: number, intervalMs = pollIntervalMs()): Promise<WaitOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await checkStates(server, checks);
    const failed = states.find((s) => s.state === 'failed');
    if (failed && failed.state === 'failed') return { ok: false, object: failed.object, reason: failed.reason };
    const waiting = states.filter((s): s is Extract<CheckState, { state: 'waiting' }> => s.state === 'waiting');
    if (waiting.length === 0) return { ok: true };
    if (Date.now() + intervalMs > deadline) {
      const first = waiting[0]!;
      const more = waiting.length > 1 ? ` (and ${waiting.length - 1} more not ready)` : '';
      return { ok: false, object: first.object, reason: `not ready after ${Math.round(timeoutMs / 1000)} s: ${first.why}${more}` };
    }
    await sleep(intervalMs);
  }
}
