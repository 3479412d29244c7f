/**
 * Which node labels may go where. Sources:
 * - kubelet refuses to start when `--node-labels` (k3s passes `node-label` there, pkg/daemons/agent)
 *   holds a key in the kubernetes.io or k8s.io namespaces that is not a kubelet label:
 *   kubernetes cmd/kubelet/app/options/options.go (ValidateKubeletFlags) with the allowed set and
 *   namespaces of pkg/kubelet/apis/well_known_labels.go (IsKubeletLabel).
 * - k3s re-applies every `node-label` on each start (pkg/agent/run.go, updateMutableLabels), so the
 *   registration drop-in must follow the inventory; labels kubelet refuses go through the API only.
 */

/** kubelet's specifically allowed kubernetes.io labels (well_known_labels.go, kubeletLabels). */
export const KUBELET_LABELS: readonly string[] = [
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/instance-type',
  'beta.kubernetes.io/os',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'kubernetes.io/arch',
  'kubernetes.io/hostname',
  'kubernetes.io/os',
  'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
];

/** Namespaces (and their subdomains) kubelet may set labels in (well_known_labels.go, kubeletLabelNamespaces). */
export const KUBELET_LABEL_NAMESPACES: readonly string[] = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** Labels kubelet or k3s set on every node themselves: kbootstrap neither writes nor removes them. */
const SET_BY_CLUSTER = new Set([
  ...KUBELET_LABELS,
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
  'node-role.kubernetes.io/etcd',
]);

function namespaceOf(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

const inDomain = (ns: string, domain: string) => ns === domain || ns.endsWith(`.${domain}`);

/** True when kubelet accepts the key in --node-labels (so k3s can register with it). */
export function kubeletAcceptsLabel(key: string): boolean {
  const ns = namespaceOf(key);
  if (!inDomain(ns, 'kubernetes.io') && !inDomain(ns, 'k8s.io')) return true;
  return KUBELET_LABELS.includes(key) || KUBELET_LABEL_NAMESPACES.some((allowed) => inDomain(ns, allowed));
}

/** Labels kubelet/k3s own (hostname, arch, os, the server roles, anything under k3s.io or cattle.io). */
export function isClusterOwnedLabel(key: string): boolean {
  const ns = namespaceOf(key);
  return SET_BY_CLUSTER.has(key) || inDomain(ns, 'k3s.io') || inDomain(ns, 'cattle.io');
}

/** The labels that go into k3s's `node-label` (registration and every start): kubelet accepts them and the cluster does not own them. */
export function registrationLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => kubeletAcceptsLabel(k) && !isClusterOwnedLabel(k)));
}
