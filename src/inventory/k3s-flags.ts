/**
 * The flags (= config.yaml keys) of `k3s server` and `k3s agent`, per k3s minor version. Pure data:
 * the inventory rules check `k3s.serverArgs` / `k3s.agentArgs` against it at validate.
 *
 * Why it matters (k3s pkg/configfilearg/defaultparser.go): the config file parser is built with
 * `ValidFlags: {"server": cmds.ServerFlags, "etcd-snapshot": ...}`, so only `k3s server` (and
 * etcd-snapshot) drops unknown config keys; `k3s agent` passes them to urfave/cli and exits with
 * "flag provided but not defined". A key with a trailing `+` appends to the same flag
 * (pkg/configfilearg/parser.go).
 *
 * Source of the names: the `k3s server --help` / `k3s agent --help` output in k3s-io/docs
 * docs/cli/server.md and docs/cli/agent.md (the v1.31–v1.33 docs), cross-checked with the flag
 * definitions in k3s-io/k3s pkg/cli/cmds/server.go and pkg/cli/cmds/agent.go, including hidden and
 * deprecated flags that k3s still accepts. Add a minor here when kbootstrap's default version moves.
 */

export interface K3sFlagTable {
  /** First and last k3s minor (1.x) this table was checked against. */
  minors: { from: number; to: number };
  /** Long flag names of `k3s agent`, short aliases mapped in ALIASES. */
  agent: readonly string[];
  /** Flags only `k3s server` has (it also has every agent flag except where noted). */
  serverOnly: readonly string[];
}

/** Flags both commands have (logging, config, cluster, node, runtime, networking). */
const COMMON = [
  'config', 'debug', 'v', 'vmodule', 'log', 'alsologtostderr',
  'token', 'token-file', 'server', 'data-dir',
  'node-name', 'with-node-id', 'node-label', 'node-taint',
  'image-credential-provider-bin-dir', 'image-credential-provider-config',
  'selinux', 'lb-server-port', 'protect-kernel-defaults',
  'container-runtime-endpoint', 'default-runtime', 'image-service-endpoint', 'pause-image', 'snapshotter',
  'private-registry', 'disable-default-registry-endpoint', 'nonroot-devices', 'airgap-extra-registry',
  'node-ip', 'bind-address', 'node-external-ip', 'node-internal-dns', 'node-external-dns', 'resolv-conf',
  'flannel-iface', 'flannel-conf', 'flannel-cni-conf',
  'kubelet-arg', 'kube-proxy-arg',
  'enable-pprof', 'rootless', 'prefer-bundled-bin', 'docker', 'vpn-auth', 'vpn-auth-file',
  // hidden or deprecated, still defined
  'disable-selinux', 'no-flannel', 'cluster-secret',
] as const;

export const K3S_FLAG_TABLES: readonly K3sFlagTable[] = [
  {
    // 1.34 (the default since the version bump) is assumed to keep 1.33's flags: not yet diffed
    // against the v1.34 docs; a flag new in 1.34 would be refused at validate until it is added here.
    minors: { from: 31, to: 34 },
    agent: [...COMMON, 'disable-apiserver-lb'],
    serverOnly: [
      'https-listen-port', 'advertise-address', 'advertise-port', 'tls-san', 'tls-san-security',
      'cluster-cidr', 'service-cidr', 'service-node-port-range', 'cluster-dns', 'cluster-domain',
      'flannel-backend', 'flannel-ipv6-masq', 'flannel-external-ip', 'egress-selector-mode', 'servicelb-namespace',
      'write-kubeconfig', 'write-kubeconfig-mode', 'write-kubeconfig-group', 'helm-job-image',
      'agent-token', 'agent-token-file', 'cluster-init', 'cluster-reset', 'cluster-reset-restore-path',
      'kube-apiserver-arg', 'etcd-arg', 'kube-controller-manager-arg', 'kube-scheduler-arg', 'kube-cloud-controller-manager-arg',
      'datastore-endpoint', 'datastore-cafile', 'datastore-certfile', 'datastore-keyfile', 'kine-tls',
      'etcd-expose-metrics', 'etcd-disable-snapshots', 'etcd-snapshot-name', 'etcd-snapshot-schedule-cron',
      'etcd-snapshot-retention', 'etcd-snapshot-dir', 'etcd-snapshot-compress',
      'etcd-s3', 'etcd-s3-endpoint', 'etcd-s3-endpoint-ca', 'etcd-s3-skip-ssl-verify', 'etcd-s3-access-key',
      'etcd-s3-secret-key', 'etcd-s3-bucket', 'etcd-s3-bucket-lookup-type', 'etcd-s3-region', 'etcd-s3-folder', 'etcd-s3-proxy',
      'etcd-s3-config-secret', 'etcd-s3-insecure', 'etcd-s3-timeout',
      'default-local-storage-path', 'disable', 'disable-scheduler', 'disable-cloud-controller', 'disable-kube-proxy',
      'disable-network-policy', 'disable-helm-controller', 'disable-apiserver', 'disable-controller-manager', 'disable-etcd',
      'disable-agent', 'embedded-registry', 'supervisor-metrics', 'system-default-registry',
      'secrets-encryption', 'secrets-encryption-provider',
    ],
  },
];

/** Short flag names (urfave/cli aliases) and the long flag each stands for. */
export const K3S_FLAG_ALIASES: Readonly<Record<string, string>> = {
  c: 'config', l: 'log', t: 'token', s: 'server', d: 'data-dir', i: 'node-ip', o: 'write-kubeconfig',
};

/** The table for a version like v1.31.4+k3s1; undefined when kbootstrap has none for its minor. */
export function flagTableFor(version: string): K3sFlagTable | undefined {
  const minor = Number(/^v?1\.(\d+)\./.exec(version)?.[1]);
  return K3S_FLAG_TABLES.find((t) => minor >= t.minors.from && minor <= t.minors.to);
}

/** A config key as k3s reads it: `key+` appends to `key`; a short alias means its long flag. */
export function canonicalFlag(key: string): string {
  const base = key.endsWith('+') ? key.slice(0, -1) : key;
  return K3S_FLAG_ALIASES[base] ?? base;
}

/**
 * Keys kbootstrap sets itself. They win over `k3s.serverArgs`/`k3s.agentArgs`: the inventory has
 * dedicated settings for each (name, staticIp, interface, labels, taints, k3s.tlsSan, k3s.disable),
 * and a join token or server URL from the inventory would split the cluster.
 */
export const OWNED_CONFIG_KEYS = [
  'node-name',
  'node-ip',
  'flannel-iface',
  'server',
  'token',
  'agent-token',
  'cluster-init',
  'tls-san',
  'disable',
  'write-kubeconfig-mode',
  'node-label',
  'node-taint',
] as const;

export function isOwnedConfigKey(key: string): boolean {
  return (OWNED_CONFIG_KEYS as readonly string[]).includes(canonicalFlag(key));
}

/**
 * Keys whose value is a credential: they must come from { env } / { file } like the SSH password,
 * never from the inventory's text. datastore-endpoint counts when it carries a user:password@ or a
 * password= (a bare sqlite path or https://etcd:2379 does not).
 */
export const SECRET_VALUED_KEYS = ['etcd-s3-access-key', 'etcd-s3-secret-key', 'vpn-auth', 'cluster-secret', 'token', 'agent-token'] as const;

export function holdsCredential(key: string, value: string): boolean {
  const flag = canonicalFlag(key);
  if ((SECRET_VALUED_KEYS as readonly string[]).includes(flag)) return true;
  return flag === 'datastore-endpoint' && (/:\/\/[^/@\s]*:[^/@\s]*@/.test(value) || /password=/i.test(value) || /^[^:/@\s]+:[^@\s]*@tcp\(/.test(value));
}
