import { Document, parse, visit } from 'yaml';
import { InternalError } from '../errors.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import { isSecretRefValue } from '../inventory/secrets.js';
import { isOwnedConfigKey } from '../inventory/k3s-flags.js';
import { registrationLabels } from './label-keys.js';

export const K3S_CONFIG_PATH = '/etc/rancher/k3s/config.yaml';
/** Labels and taints for the node's registration, kept in step with the inventory (see buildK3sRegistrationConfig). */
export const K3S_REGISTRATION_CONFIG_PATH = '/etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml';

export interface K3sJoin {
  /** https://FIRST:6443 for joining servers and agents; absent on the first server. */
  serverUrl?: string;
  token?: string;
  /** First server of an HA cluster: start embedded etcd. */
  clusterInit?: boolean;
  /**
   * Servers: the secret of `agent-token`, so agents join with a token that cannot join servers (the
   * server token is admin-equivalent). Without it k3s makes agent-token a link to the server token
   * (pkg/server/server.go, printTokens).
   */
  agentToken?: string;
  /** Values of this role's serverArgs/agentArgs given as { env } / { file }, read by the caller; by key. */
  secretArgs?: Record<string, string>;
}

/** Whether the config.yaml for this join holds a secret (join token, agent token, a secret-valued arg). */
export function configHoldsSecret(node: ResolvedNode, inv: ResolvedInventory, join: K3sJoin): boolean {
  return join.token !== undefined || (node.role === 'server' && join.agentToken !== undefined) || secretArgKeys(node, inv).length > 0;
}

/** Keys of this role's extra args whose value comes from { env } / { file }. */
export function secretArgKeys(node: ResolvedNode, inv: ResolvedInventory): string[] {
  const extra = node.role === 'server' ? inv.k3s.serverArgs : inv.k3s.agentArgs;
  return Object.keys(extra).filter((k) => !isOwnedConfigKey(k) && isSecretRefValue(extra[k]));
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The address k3s should advertise: the static IP, else the SSH address when it is an IP. */
export function nodeIp(node: ResolvedNode): string | undefined {
  if (node.target) return node.target.ip;
  return IPV4.test(node.connect.host) ? node.connect.host : undefined;
}

/** The host part of an address given as a host, host:port, [v6]:port or URL (what a TLS client checks the certificate for). */
export function hostOfAddress(address: string): string {
  const text = address.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    return url.hostname.replace(/^\[|\]$/g, '');
  } catch {
    return text;
  }
}

/**
 * Names and addresses the API server certificate must cover: every address agents, servers and the
 * laptop use to reach a server. k3s (`tls-san-security`, default true in `k3s server --help`) adds no SAN it was not
 * given, and the agent's and kubectl's Go TLS clients check the name they dialled (pkg/clientaccess/token.go, GetHTTPClient
 * in k3s): so each server's static IP or SSH address (an IP or a DNS name), its name (and name.domain),
 * the host of kubeconfig.server (which may be a URL or host:port), then k3s.tlsSan.
 */
export function tlsSans(inv: ResolvedInventory): string[] {
  const sans: string[] = [];
  for (const server of inv.nodes.filter((n) => n.role === 'server')) {
    const ip = nodeIp(server);
    if (ip) sans.push(ip);
    // Without a static IP, agents join (and the kubeconfig points) at the SSH address, which may be a DNS name.
    if (!server.target && !ip) sans.push(server.connect.host);
    sans.push(server.name);
    if (inv.cluster.domain) sans.push(`${server.name}.${inv.cluster.domain}`);
  }
  if (inv.kubeconfig.server) sans.push(hostOfAddress(inv.kubeconfig.server));
  sans.push(...inv.k3s.tlsSan);
  return [...new Set(sans)];
}

function configObject(node: ResolvedNode, inv: ResolvedInventory, join: K3sJoin): Record<string, unknown> {
  const config: Record<string, unknown> = { 'node-name': node.name };
  const ip = nodeIp(node);
  if (ip) config['node-ip'] = ip;
  config['flannel-iface'] = node.interface;
  if (node.role === 'agent' && !(join.serverUrl && join.token)) {
    throw new InternalError(`agent ${node.name} needs a server URL and a token to join`);
  }
  if (join.serverUrl) {
    if (!join.token) throw new InternalError(`${node.name} joins ${join.serverUrl} without a token`);
    config.server = join.serverUrl;
    config.token = join.token;
  }
  if (node.role === 'server') {
    if (join.clusterInit && !join.serverUrl) config['cluster-init'] = true;
    config['tls-san'] = tlsSans(inv);
    if (inv.k3s.disable.length > 0) config.disable = [...inv.k3s.disable];
    config['write-kubeconfig-mode'] = '0600';
    if (join.agentToken) config['agent-token'] = join.agentToken;
  }
  const extra = node.role === 'server' ? inv.k3s.serverArgs : inv.k3s.agentArgs;
  for (const key of Object.keys(extra).sort()) {
    if (isOwnedConfigKey(key)) continue;
    if (isSecretRefValue(extra[key])) {
      const value = join.secretArgs?.[key];
      if (value === undefined) throw new InternalError(`${node.role} arg ${key} comes from ${extra[key].env ? 'env' : 'a file'} but was not read`);
      config[key] = value;
    } else config[key] = extra[key];
  }
  return config;
}

/** True when a YAML reader of this version reads the plain scalar back as the same string. */
function readsBackAs(text: string, version: '1.1' | '1.2'): boolean {
  try {
    return parse(text, { version }) === text;
  } catch {
    return false;
  }
}

/**
 * YAML for k3s's config files. k3s reads them with gopkg.in/yaml.v2 (pkg/configfilearg/parser.go:
 * yaml.MapSlice), which is YAML 1.1: there `on`, `yes`, `y`, `off` are booleans, `1_000` and `0755`
 * numbers, `12:30` base 60. Any string that a YAML 1.1 or 1.2 reader would not read back unchanged
 * is written double-quoted.
 */
export function k3sYaml(config: Record<string, unknown>): string {
  const doc = new Document(config);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !(readsBackAs(node.value, '1.1') && readsBackAs(node.value, '1.2'))) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

function toYaml(config: Record<string, unknown>): string {
  return `# Written by kbootstrap. Edit the inventory and re-run instead of editing this file.\n${k3sYaml(config)}`;
}

/**
 * /etc/rancher/k3s/config.yaml. Holds the join token on joining nodes: write it with mode 0600 and
 * never log it (use describeK3sConfig for the plan). Key order is fixed, so the same inputs give the
 * same bytes and the planner can compare sha256 sums.
 */
export function buildK3sConfig(node: ResolvedNode, inv: ResolvedInventory, join: K3sJoin): string {
  return toYaml(configObject(node, inv, join));
}

/** The same config with every secret (token, agent-token, { env } / { file } args) replaced by ***, for plans and logs. */
export function describeK3sConfig(node: ResolvedNode, inv: ResolvedInventory, join: K3sJoin): string {
  const config = configObject(node, inv, join);
  for (const key of ['token', 'agent-token', ...secretArgKeys(node, inv)]) if (config[key] !== undefined) config[key] = '***';
  return toYaml(config);
}

/**
 * `/etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml`: the labels kubelet accepts at
 * registration (label-keys.ts) and the taints. k3s applies node-label at registration AND on every
 * start (pkg/agent/run.go, updateMutableLabels), so kbootstrap rewrites this file whenever the
 * inventory changes, without restarting k3s for it (kubectl applies the change now, nodes.ts);
 * taints take effect at registration only. Labels kubelet refuses (node-role.kubernetes.io/worker)
 * are set through the API alone. null when there is nothing to write.
 */
export function buildK3sRegistrationConfig(node: ResolvedNode): string | null {
  const config: Record<string, unknown> = {};
  const allowed = registrationLabels(node.labels);
  const labels = Object.keys(allowed).sort().map((k) => `${k}=${allowed[k]}`);
  if (labels.length > 0) config['node-label'] = labels;
  if (node.taints.length > 0) config['node-taint'] = [...node.taints];
  if (Object.keys(config).length === 0) return null;
  return `# Written by kbootstrap from the inventory's labels and taints; k3s re-applies node-label on every start.\n${k3sYaml(config)}`;
}
