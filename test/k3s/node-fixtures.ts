/** `k3s kubectl get nodes -o json` output as k3s prints it, for the node tests. */
export function rawNode(name: string, opts: { ready?: boolean; server?: boolean; arch?: string; ip?: string; labels?: Record<string, string>; annotations?: Record<string, string>; taints?: { key: string; value?: string; effect: string }[] } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': opts.arch ?? 'arm64',
        'kubernetes.io/arch': opts.arch ?? 'arm64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'k3s',
        ...(opts.server ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' } : {}),
        ...opts.labels,
      },
      annotations: { 'k3s.io/node-args': '["server"]', ...opts.annotations },
    },
    spec: { podCIDR: '10.42.0.0/24', ...(opts.taints ? { taints: opts.taints } : {}) },
    status: {
      addresses: [
        { type: 'InternalIP', address: opts.ip ?? '10.77.0.11' },
        { type: 'Hostname', address: name },
      ],
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: opts.ready === false ? 'False' : 'True', reason: 'KubeletReady' },
      ],
      nodeInfo: { architecture: opts.arch ?? 'arm64', kubeletVersion: 'v1.31.4+k3s1', operatingSystem: 'linux' },
    },
  };
}

export function nodeListJson(...items: ReturnType<typeof rawNode>[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 4);
}
