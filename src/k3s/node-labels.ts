import { shellQuote } from '../ssh/shell-quote.js';
import { isClusterOwnedLabel } from './label-keys.js';
import type { ClusterNode } from './nodes.js';

/** Annotations recording which labels/taints kbootstrap set, so it removes only its own later. */
export const MANAGED_LABELS_ANNOTATION = 'kbootstrap.io/managed-labels';
export const MANAGED_TAINTS_ANNOTATION = 'kbootstrap.io/managed-taints';

const SYSTEM_PREFIXES = ['kubernetes.io/', 'node-role.kubernetes.io/', 'node.kubernetes.io/', 'k3s.io/', 'node.cloudprovider.kubernetes.io/'];

/** Labels and taint keys owned by Kubernetes or k3s (kubernetes.io/*, *.kubernetes.io/*, k3s.io/*, *.k3s.io/*): never touched. */
export function isSystemKey(key: string): boolean {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/') + 1) : '';
  if (SYSTEM_PREFIXES.includes(prefix)) return true;
  return /(^|\.)(kubernetes\.io|k8s\.io|k3s\.io|cattle\.io)\/$/.test(prefix);
}

export interface NodeLabelChange {
  description: string;
  command: string;
}

export interface NodeLabelPlan {
  changes: NodeLabelChange[];
  /** Desired keys skipped because Kubernetes or k3s owns them. */
  ignored: string[];
}

function managedList(node: ClusterNode, annotation: string): string[] {
  const value = node.annotations[annotation];
  return value ? value.split(',').filter((s) => s !== '') : [];
}

function taintParts(taint: string): { key: string; value: string; effect: string } {
  const colon = taint.lastIndexOf(':');
  const kv = taint.slice(0, colon);
  const eq = kv.indexOf('=');
  return { key: eq < 0 ? kv : kv.slice(0, eq), value: eq < 0 ? '' : kv.slice(eq + 1), effect: taint.slice(colon + 1) };
}

/** Taints are identified by key and effect (`key:Effect`). */
function taintId(taint: string): string {
  const t = taintParts(taint);
  return `${t.key}:${t.effect}`;
}

/**
 * kubectl commands (run as root on a server) that bring a node's labels and taints to the inventory's.
 * Labels kubelet refuses at registration (node-role.kubernetes.io/worker) are set here only; labels
 * kubelet or k3s set themselves (label-keys.ts) are never touched:
 * only the differences, `--overwrite` for changed values, `key-` for labels/taints kbootstrap set
 * before and the inventory dropped. Labels nobody asked kbootstrap to manage are left alone.
 */
export function planNodeLabels(current: ClusterNode, desired: { labels: Record<string, string>; taints: string[] }): NodeLabelPlan {
  const name = shellQuote(current.name);
  const ignored: string[] = [];
  const changes: NodeLabelChange[] = [];

  const wantedLabels = Object.keys(desired.labels).filter((k) => (isClusterOwnedLabel(k) ? (ignored.push(k), false) : true)).sort();
  const setLabels = wantedLabels.filter((k) => current.labels[k] !== desired.labels[k]);
  const dropLabels = managedList(current, MANAGED_LABELS_ANNOTATION).filter((k) => !wantedLabels.includes(k) && k in current.labels && !isClusterOwnedLabel(k));
  if (setLabels.length + dropLabels.length > 0) {
    const args = [...setLabels.map((k) => shellQuote(`${k}=${desired.labels[k]}`)), ...dropLabels.map((k) => shellQuote(`${k}-`))];
    changes.push({
      description: `labels on ${current.name}: ${[...setLabels.map((k) => `${k}=${desired.labels[k]}`), ...dropLabels.map((k) => `remove ${k}`)].join(', ')}`,
      command: `k3s kubectl label node ${name} ${args.join(' ')} --overwrite`,
    });
  }

  const wantedTaints = desired.taints.filter((t) => (isSystemKey(taintParts(t).key) ? (ignored.push(taintParts(t).key), false) : true));
  const currentById = new Map(current.taints.map((t) => [taintId(t), t]));
  const setTaints = wantedTaints.filter((t) => currentById.get(taintId(t)) !== t);
  const wantedIds = wantedTaints.map(taintId);
  const dropTaints = managedList(current, MANAGED_TAINTS_ANNOTATION).filter((id) => !wantedIds.includes(id) && currentById.has(id));
  if (setTaints.length > 0) {
    changes.push({
      description: `taints on ${current.name}: add ${setTaints.join(', ')}`,
      command: `k3s kubectl taint node ${name} ${setTaints.map(shellQuote).join(' ')} --overwrite`,
    });
  }
  if (dropTaints.length > 0) {
    changes.push({
      description: `taints on ${current.name}: remove ${dropTaints.join(', ')}`,
      command: `k3s kubectl taint node ${name} ${dropTaints.map((id) => shellQuote(`${id}-`)).join(' ')}`,
    });
  }

  const annotations: string[] = [];
  const labelsValue = wantedLabels.join(',');
  if ((current.annotations[MANAGED_LABELS_ANNOTATION] ?? '') !== labelsValue) annotations.push(annotationArg(MANAGED_LABELS_ANNOTATION, labelsValue));
  const taintsValue = [...new Set(wantedIds)].sort().join(',');
  if ((current.annotations[MANAGED_TAINTS_ANNOTATION] ?? '') !== taintsValue) annotations.push(annotationArg(MANAGED_TAINTS_ANNOTATION, taintsValue));
  if (annotations.length > 0) {
    changes.push({
      description: `record the labels and taints kbootstrap manages on ${current.name}`,
      command: `k3s kubectl annotate node ${name} ${annotations.join(' ')} --overwrite`,
    });
  }
  return { changes, ignored: [...new Set(ignored)] };
}

function annotationArg(key: string, value: string): string {
  return shellQuote(value === '' ? `${key}-` : `${key}=${value}`);
}
