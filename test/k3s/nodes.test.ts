import { describe, expect, it } from 'vitest';
import { buildCordonCommand, buildDeleteNodeCommand, buildDrainCommand, buildUncordonCommand } from '../../src/k3s/node-commands.js';
import { checkReadiness, parseNodeList, type ClusterNode } from '../../src/k3s/nodes.js';

import { nodeListJson, rawNode } from './node-fixtures.js';

describe('parseNodeList', () => {
  it('reads name, roles, Ready, version, arch, IP, labels and taints', () => {
    const nodes = parseNodeList(
      nodeListJson(rawNode('kmaster', { server: true }), rawNode('kworker1', { ready: false, arch: 'arm', ip: '10.77.0.21', taints: [{ key: 'dedicated', value: 'edge', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }] })),
    );
    expect(nodes.map(({ labels: _l, annotations: _a, ...rest }) => rest)).toEqual([
      { name: 'kmaster', roles: ['control-plane', 'master'], ready: true, unschedulable: false, version: 'v1.31.4+k3s1', arch: 'arm64', internalIp: '10.77.0.11', taints: [] },
      { name: 'kworker1', roles: [], ready: false, unschedulable: false, version: 'v1.31.4+k3s1', arch: 'arm', internalIp: '10.77.0.21', taints: ['dedicated=edge:NoSchedule', 'gpu:NoExecute'], notReadyReason: 'KubeletReady' },
    ]);
    expect(nodes[0]!.labels['kubernetes.io/hostname']).toBe('kmaster');
  });

  it('explains output that is not JSON', () => {
    expect(() => parseNodeList('The connection to the server 127.0.0.1:6443 was refused')).toThrow(/did not print JSON/);
  });
});

describe('checkReadiness', () => {
  it('sorts the expected names into ready, not ready and missing', () => {
    const nodes: ClusterNode[] = parseNodeList(nodeListJson(rawNode('a'), rawNode('b', { ready: false }), rawNode('extra')));
    expect(checkReadiness(nodes, ['a', 'b', 'c'])).toEqual({ ready: ['a'], notReady: ['b'], missing: ['c'], allReady: false });
    expect(checkReadiness(nodes, ['a', 'extra'])).toEqual({ ready: ['a', 'extra'], notReady: [], missing: [], allReady: true });
  });
});

describe('node commands', () => {
  it('cordon, drain, uncordon and delete a node through k3s kubectl', () => {
    expect(buildCordonCommand('kworker1')).toBe('k3s kubectl cordon kworker1');
    expect(buildUncordonCommand('kworker1')).toBe('k3s kubectl uncordon kworker1');
    expect(buildDrainCommand('kworker1')).toBe('k3s kubectl drain kworker1 --ignore-daemonsets --delete-emptydir-data --timeout=300s');
    expect(buildDrainCommand('kworker1', { timeoutSeconds: 60, force: true })).toBe('k3s kubectl drain kworker1 --ignore-daemonsets --delete-emptydir-data --timeout=60s --force');
    expect(buildDeleteNodeCommand('kworker1')).toBe('k3s kubectl delete node kworker1 --ignore-not-found --wait=true');
  });
});
