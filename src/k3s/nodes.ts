import { UserError } from '../errors.js';

/** One node as `k3s kubectl get nodes -o json` shows it. */
export interface ClusterNode {
  name: string;
  roles: string[];
  ready: boolean;
  unschedulable: boolean;
  version: string;
  arch: string;
  internalIp?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** "key=value:Effect" or "key:Effect". */
  taints: string[];
  /** What the node's Ready condition says when it is not True ("KubeletNotReady: container runtime is down"). */
  notReadyReason?: string;
}

export const GET_NODES_COMMAND = 'k3s kubectl get nodes -o json';

interface RawNode {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; architecture?: string };
  };
}

export function formatTaint(t: { key: string; value?: string; effect: string }): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export function parseNodeList(json: string): ClusterNode[] {
  let list: { items?: RawNode[] };
  try {
    list = JSON.parse(json) as { items?: RawNode[] };
  } catch {
    throw new UserError('`k3s kubectl get nodes -o json` did not print JSON', { hint: 'is k3s running on the server? look at `journalctl -u k3s`' });
  }
  return (list.items ?? []).map((raw) => {
    const labels = raw.metadata?.labels ?? {};
    const roles = Object.keys(labels)
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length))
      .sort();
    return {
      name: raw.metadata?.name ?? '',
      roles,
      ready: raw.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      unschedulable: raw.spec?.unschedulable ?? false,
      version: raw.status?.nodeInfo?.kubeletVersion ?? '',
      arch: raw.status?.nodeInfo?.architecture ?? labels['kubernetes.io/arch'] ?? '',
      internalIp: raw.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
      labels,
      annotations: raw.metadata?.annotations ?? {},
      taints: (raw.spec?.taints ?? []).map(formatTaint),
      ...notReadyReasonOf(raw),
    };
  });
}

function notReadyReasonOf(raw: RawNode): { notReadyReason?: string } {
  const c = raw.status?.conditions?.find((x) => x.type === 'Ready');
  if (c?.status === 'True') return {};
  const text = c ? [c.reason, c.message].filter(Boolean).join(': ') || `Ready=${c.status}` : 'no Ready condition reported';
  return { notReadyReason: text };
}

export interface Readiness {
  ready: string[];
  notReady: string[];
  /** Expected but not registered yet. */
  missing: string[];
  allReady: boolean;
}

/** Which of the expected nodes are Ready, registered but not Ready, or not registered. */
export function checkReadiness(nodes: readonly ClusterNode[], expected: readonly string[]): Readiness {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ready: string[] = [];
  const notReady: string[] = [];
  const missing: string[] = [];
  for (const name of expected) {
    const node = byName.get(name);
    if (!node) missing.push(name);
    else if (node.ready) ready.push(name);
    else notReady.push(name);
  }
  return { ready, notReady, missing, allReady: notReady.length === 0 && missing.length === 0 };
}
