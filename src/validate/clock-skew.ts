import type { Problem } from './problem.js';

export const MAX_CLOCK_SKEW_MS = 30_000;

export interface ClockSample {
  node: string;
  /** The node's clock when the facts script ran. */
  nodeMs: number;
  /** The workstation's clock at the middle of that round trip. */
  sampledAtMs: number;
  /** Half the round trip: how far the node's reading can be from sampledAtMs. */
  uncertaintyMs: number;
}

/**
 * Clock skew between nodes (k3s certificates and etcd dislike it). Each node's offset from the
 * workstation is measured; the largest group of nodes within MAX_CLOCK_SKEW_MS of each other (allowing
 * for the round trips) is taken as right (on a tie, the group nearest the workstation's clock) and
 * every node outside it gets an error that names the offsets.
 */
export function clockSkewProblems(samples: ClockSample[]): Problem[] {
  if (samples.length < 2) return [];
  const withOffset = samples
    .map((s) => ({ ...s, offset: s.nodeMs - s.sampledAtMs }))
    .sort((a, b) => a.offset - b.offset);
  const close = (a: (typeof withOffset)[number], b: (typeof withOffset)[number]) =>
    Math.abs(a.offset - b.offset) <= MAX_CLOCK_SKEW_MS + a.uncertaintyMs + b.uncertaintyMs;

  let best: typeof withOffset = [];
  let bestDistance = Infinity;
  for (let i = 0; i < withOffset.length; i++) {
    // Sorted by offset, so a group is a window starting at i.
    let j = i;
    while (j + 1 < withOffset.length && close(withOffset[i]!, withOffset[j + 1]!)) j++;
    const group = withOffset.slice(i, j + 1);
    const distance = Math.min(...group.map((s) => Math.abs(s.offset)));
    if (group.length > best.length || (group.length === best.length && distance < bestDistance)) {
      best = group;
      bestDistance = distance;
    }
  }
  if (best.length === withOffset.length) return [];

  const reference = best.reduce((sum, s) => sum + s.offset, 0) / best.length;
  const offsets = withOffset.map((s) => `${s.node} ${signedSeconds(s.offset)}`).join(', ');
  return withOffset
    .filter((s) => !best.includes(s))
    .map((s) => ({
      node: s.node,
      severity: 'error' as const,
      message: `clock is ${signedSeconds(s.offset - reference)} off from ${best.map((b) => b.node).join(', ')} (more than ${MAX_CLOCK_SKEW_MS / 1000} s; offsets from this workstation: ${offsets})`,
      hint: 'enable network time on the node (systemctl enable --now systemd-timesyncd) and check it can reach an NTP server; a Pi has no real-time clock',
    }));
}

function signedSeconds(ms: number): string {
  const s = (ms / 1000).toFixed(1);
  return ms >= 0 ? `+${s} s` : `${s} s`;
}
