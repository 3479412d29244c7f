import { shellQuote } from '../ssh/shell-quote.js';
import { change } from './change.js';
import { requireFacts, requireTransport, type NodeState, type RunContext } from './context.js';

/**
 * A reboot kbootstrap needs but has not done yet is recorded ON THE NODE, before the changes that need
 * it, so a run cut short (Ctrl-C, a failed reboot command, a lost link) is finished by the next run.
 * The first line is the boot id it was written under: once the node has booted again it no longer
 * counts (facts/parse.ts compares), so a reboot that happened without us clears it too.
 */
export const REBOOT_PENDING_FILE = '/var/lib/kbootstrap/reboot-pending';

export function rebootPendingContent(bootId: string, reasons: string[]): string {
  return `${[bootId, ...reasons.map((r) => r.replace(/\n/g, ' '))].join('\n')}\n`;
}

/** Writes the marker through change(), so the plan shows it; a no-op when the facts carry no boot id. */
export async function recordRebootPending(ctx: RunContext, state: NodeState, reasons: string[]): Promise<void> {
  const bootId = requireFacts(state).bootId;
  if (!bootId) return;
  await change(ctx, state, `record on the node that a reboot is pending (${REBOOT_PENDING_FILE})`, () =>
    requireTransport(state).writeFile(REBOOT_PENDING_FILE, rebootPendingContent(bootId, reasons), { mode: 0o644 }));
}

/** Reasons an earlier run left for a reboot that has not happened yet (facts), for the plan. */
export function pendingFromEarlierRun(state: NodeState): string[] {
  return (requireFacts(state).rebootPending ?? []).map((r) => `${r} (pending from an earlier run)`);
}

/** After the node came back: the marker is spent. */
export async function clearRebootPending(state: NodeState): Promise<void> {
  await requireTransport(state).exec(`rm -f -- ${shellQuote(REBOOT_PENDING_FILE)}`, { sudo: true });
}
