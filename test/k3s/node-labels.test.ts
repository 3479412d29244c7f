import { describe, expect, it } from 'vitest';
import { MANAGED_LABELS_ANNOTATION, MANAGED_TAINTS_ANNOTATION, isSystemKey, planNodeLabels } from '../../src/k3s/node-labels.js';
import { parseNodeList } from '../../src/k3s/nodes.js';
import { nodeListJson, rawNode } from './node-fixtures.js';

function current(opts: Parameters<typeof rawNode>[1]) {
  return parseNodeList(nodeListJson(rawNode('kworker1', opts)))[0]!;
}

describe('planNodeLabels', () => {
  it('sets new labels and taints on a fresh node and records them', () => {
    const plan = planNodeLabels(current({}), { labels: { tier: 'edge', 'example.com/disk': 'ssd' }, taints: ['dedicated=edge:NoSchedule'] });
    expect(plan.changes.map((c) => c.command)).toEqual([
      'k3s kubectl label node kworker1 example.com/disk=ssd tier=edge --overwrite',
      'k3s kubectl taint node kworker1 dedicated=edge:NoSchedule --overwrite',
      `k3s kubectl annotate node kworker1 ${MANAGED_LABELS_ANNOTATION}=example.com/disk,tier ${MANAGED_TAINTS_ANNOTATION}=dedicated:NoSchedule --overwrite`,
    ]);
  });

  it('plans nothing when the node already matches', () => {
    const node = current({
      labels: { tier: 'edge' },
      annotations: { [MANAGED_LABELS_ANNOTATION]: 'tier', [MANAGED_TAINTS_ANNOTATION]: 'dedicated:NoSchedule' },
      taints: [{ key: 'dedicated', value: 'edge', effect: 'NoSchedule' }],
    });
    expect(planNodeLabels(node, { labels: { tier: 'edge' }, taints: ['dedicated=edge:NoSchedule'] }).changes).toEqual([]);
  });

  it('only records labels that k3s already set at registration', () => {
    const node = current({ labels: { tier: 'edge' } });
    expect(planNodeLabels(node, { labels: { tier: 'edge' }, taints: [] }).changes.map((c) => c.command)).toEqual([
      `k3s kubectl annotate node kworker1 ${MANAGED_LABELS_ANNOTATION}=tier --overwrite`,
    ]);
  });

  it('changes values, removes what kbootstrap set and the inventory dropped, keeps labels set by others', () => {
    const node = current({
      labels: { tier: 'edge', old: 'x', 'someone.else/label': 'keep' },
      annotations: { [MANAGED_LABELS_ANNOTATION]: 'old,tier', [MANAGED_TAINTS_ANNOTATION]: 'dedicated:NoSchedule' },
      taints: [{ key: 'dedicated', value: 'edge', effect: 'NoSchedule' }, { key: 'foreign', effect: 'NoSchedule' }],
    });
    const plan = planNodeLabels(node, { labels: { tier: 'core' }, taints: ['gpu=yes:NoExecute'] });
    expect(plan.changes.map((c) => c.command)).toEqual([
      'k3s kubectl label node kworker1 tier=core old- --overwrite',
      'k3s kubectl taint node kworker1 gpu=yes:NoExecute --overwrite',
      'k3s kubectl taint node kworker1 dedicated:NoSchedule-',
      `k3s kubectl annotate node kworker1 ${MANAGED_LABELS_ANNOTATION}=tier ${MANAGED_TAINTS_ANNOTATION}=gpu:NoExecute --overwrite`,
    ]);
    expect(plan.changes[0]!.description).toBe('labels on kworker1: tier=core, remove old');
  });

  it('changes a taint value in place (same key and effect)', () => {
    const node = current({ annotations: { [MANAGED_TAINTS_ANNOTATION]: 'dedicated:NoSchedule' }, taints: [{ key: 'dedicated', value: 'edge', effect: 'NoSchedule' }] });
    expect(planNodeLabels(node, { labels: {}, taints: ['dedicated=core:NoSchedule'] }).changes.map((c) => c.command)).toEqual([
      'k3s kubectl taint node kworker1 dedicated=core:NoSchedule --overwrite',
    ]);
  });

  it('never touches labels kubelet or k3s set themselves, even when asked or listed as managed', () => {
    const node = current({ annotations: { [MANAGED_LABELS_ANNOTATION]: 'kubernetes.io/hostname' } });
    const plan = planNodeLabels(node, { labels: { 'kubernetes.io/hostname': 'x', 'node-role.kubernetes.io/master': 'true', 'k3s.io/x': 'y' }, taints: ['node.kubernetes.io/unschedulable:NoSchedule'] });
    expect(plan.ignored).toEqual(['kubernetes.io/hostname', 'node-role.kubernetes.io/master', 'k3s.io/x', 'node.kubernetes.io/unschedulable']);
    expect(plan.changes.map((c) => c.command)).toEqual([`k3s kubectl annotate node kworker1 ${MANAGED_LABELS_ANNOTATION}- --overwrite`]);
  });

  // kubelet refuses node-role.kubernetes.io/worker in --node-labels (cmd/kubelet/app/options/options.go),
  // so the API is the only way it reaches the node; it is managed like any other label.
  it('sets labels kubelet refuses at registration (node-role.kubernetes.io/worker) through the API', () => {
    const plan = planNodeLabels(current({}), { labels: { 'node-role.kubernetes.io/worker': 'true', 'app.kubernetes.io/part-of': 'edge' }, taints: [] });
    expect(plan.ignored).toEqual([]);
    expect(plan.changes.map((c) => c.command)).toEqual([
      'k3s kubectl label node kworker1 app.kubernetes.io/part-of=edge node-role.kubernetes.io/worker=true --overwrite',
      `k3s kubectl annotate node kworker1 ${MANAGED_LABELS_ANNOTATION}=app.kubernetes.io/part-of,node-role.kubernetes.io/worker --overwrite`,
    ]);
  });

  it('removes the annotation once nothing is managed', () => {
    const node = current({ labels: { tier: 'edge' }, annotations: { [MANAGED_LABELS_ANNOTATION]: 'tier' } });
    expect(planNodeLabels(node, { labels: {}, taints: [] }).changes.map((c) => c.command)).toEqual([
      'k3s kubectl label node kworker1 tier- --overwrite',
      `k3s kubectl annotate node kworker1 ${MANAGED_LABELS_ANNOTATION}- --overwrite`,
    ]);
  });
});

describe('isSystemKey', () => {
  it('knows the Kubernetes and k3s prefixes', () => {
    for (const key of ['kubernetes.io/arch', 'node-role.kubernetes.io/master', 'node.kubernetes.io/instance-type', 'k3s.io/hostname', 'topology.kubernetes.io/zone', 'kubelet.k8s.io/x', 'p.k3s.cattle.io/x']) {
      expect(isSystemKey(key), key).toBe(true);
    }
    for (const key of ['tier', 'example.com/disk', 'openwhisk-role']) expect(isSystemKey(key), key).toBe(false);
  });
});
