import { parseK3sToken } from '../../src/k3s/token.js';
import { shellWords } from '../addons/fake-cluster.js';

/** One node object as the fake API server holds it. */
export interface FakeMember {
  name: string;
  role: 'server' | 'agent';
  ready: boolean;
  unschedulable: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: string[];
  /** Which token the node joined with: 'server' (admin-equivalent) or 'node' (the agent token). */
  joinedWith?: string;
}

const CA_HASH = 'c'.repeat(64);

/**
 * The cluster as the nodes of a unit test see it (not k3s: it knows the node objects kubectl lists,
 * labels, taints, cordons and the join tokens). The first server to start creates it; a joining node
 * is admitted only with a token the first server issued: a server needs the server token, an agent
 * the agent token or the server token (k3s pkg/server/auth: "node" and "server" users).
 */
export class FakeK3sCluster {
  readonly members = new Map<string, FakeMember>();
  /** Every kubectl command the first server ran (arguments, unquoted), in order. */
  readonly kubectl: string[] = [];
  /** Nodes whose kubelet never reports Ready (a CNI that does not come up). */
  readonly stuckNotReady = new Set<string>();
  /** Drains that do not finish (a PodDisruptionBudget). */
  readonly undrainable = new Set<string>();
  /** What happened on which node, in order across the fleet: "kmaster: start", "knode1: uninstall", "knode2: reboot". */
  readonly journal: string[] = [];
  serverToken?: string;
  agentToken?: string;

  constructor(readonly serverSecret = 'srv0secret0value0abc', readonly version = 'v1.33.5+k3s1') {}

  /** The first server starts: the cluster's tokens exist from now on. */
  bootstrap(agentSecret: string | undefined): { server: string; agent: string } {
    this.serverToken ??= `K10${CA_HASH}::server:${this.serverSecret}`;
    // Without agent-token, k3s links agent-token to the server token.
    this.agentToken ??= agentSecret ? `K10${CA_HASH}::node:${agentSecret}` : this.serverToken;
    return { server: this.serverToken, agent: this.agentToken };
  }

  /** Why k3s on a joining node would exit, or undefined when the token is accepted. */
  refuseJoin(role: 'server' | 'agent', token: string | undefined): string | undefined {
    if (!this.serverToken) return 'level=fatal msg="failed to get CA certs: connection refused"';
    const t = parseK3sToken(token ?? '');
    const secret = t?.form === 'secure' ? t.password : t?.form === 'short' ? t.password : undefined;
    const serverSecret = (parseK3sToken(this.serverToken) as { password: string }).password;
    const agentSecret = (parseK3sToken(this.agentToken ?? '') as { password?: string } | undefined)?.password;
    if (secret === serverSecret) return undefined;
    if (role === 'agent' && secret !== undefined && secret === agentSecret) return undefined;
    return 'level=fatal msg="Error: token CA hash does not match the Cluster CA certificate hash"';
  }

  register(name: string, role: 'server' | 'agent', labels: Record<string, string>, taints: string[], joinedWith?: string): void {
    const known = this.members.get(name);
    const roleLabels: Record<string, string> = role === 'server' ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' } : {};
    this.members.set(name, {
      name,
      role,
      ready: !this.stuckNotReady.has(name),
      unschedulable: known?.unschedulable ?? false,
      labels: { ...(known?.labels ?? {}), 'kubernetes.io/hostname': name, 'kubernetes.io/arch': 'arm64', ...roleLabels, ...labels },
      annotations: known?.annotations ?? {},
      taints: known ? known.taints : taints,
      joinedWith: joinedWith ?? known?.joinedWith,
    });
  }

  /** The node's k3s stopped (uninstall, reboot): it stays listed, NotReady. */
  down(name: string): void {
    const m = this.members.get(name);
    if (m) m.ready = false;
  }

  getNodesJson(): string {
    return JSON.stringify({
      items: [...this.members.values()].map((m) => ({
        metadata: { name: m.name, labels: m.labels, annotations: m.annotations },
        spec: { unschedulable: m.unschedulable, taints: m.taints.map(parseTaint) },
        status: {
          conditions: [m.ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready' }],
          nodeInfo: { kubeletVersion: this.version, architecture: 'arm64' },
        },
      })),
    });
  }

  /** Runs `k3s kubectl ...` as the API server would answer it. */
  kubectlCommand(command: string): { stdout?: string; stderr?: string; code?: number } {
    const args = shellWords(command).slice(2);
    this.kubectl.push(args.join(' '));
    const [verb, kind, name] = args;
    if (verb === 'get' && kind === 'nodes') return { stdout: this.getNodesJson() };
    const m = verb === 'drain' || verb === 'cordon' || verb === 'uncordon' ? this.members.get(kind!) : this.members.get(name!);
    const notFound = { code: 1, stderr: `Error from server (NotFound): nodes "${verb === 'drain' || verb === 'cordon' || verb === 'uncordon' ? kind : name}" not found` };
    switch (verb) {
      case 'drain':
        if (!m) return notFound;
        m.unschedulable = true;
        return this.undrainable.has(m.name) ? { code: 1, stderr: 'error: unable to drain node: Cannot evict pod as it would violate the pod\'s disruption budget.' } : {};
      case 'cordon':
      case 'uncordon':
        if (!m) return notFound;
        m.unschedulable = verb === 'cordon';
        return {};
      case 'delete':
        if (m) this.members.delete(m.name);
        return m || args.includes('--ignore-not-found') ? {} : notFound;
      case 'label':
      case 'annotate': {
        if (!m) return notFound;
        const target = verb === 'label' ? m.labels : m.annotations;
        for (const a of args.slice(3).filter((x) => !x.startsWith('--'))) {
          if (a.endsWith('-')) delete target[a.slice(0, -1)];
          else target[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
        }
        return {};
      }
      case 'taint': {
        if (!m) return notFound;
        for (const a of args.slice(3).filter((x) => !x.startsWith('--'))) {
          if (a.endsWith('-')) {
            const id = a.slice(0, -1);
            m.taints = m.taints.filter((t) => taintId(t) !== id);
          } else {
            m.taints = [...m.taints.filter((t) => taintId(t) !== taintId(a)), a];
          }
        }
        return {};
      }
      default:
        return { code: 1, stderr: `error: unknown command "${verb}" for "kubectl"` };
    }
  }
}

function parseTaint(t: string): { key: string; value?: string; effect: string } {
  const [kv, effect = ''] = t.split(':');
  const [key = '', value] = kv!.split('=');
  return value === undefined ? { key, effect } : { key, value, effect };
}

/** key:Effect, the identity kubectl matches a taint removal on. */
function taintId(t: string): string {
  const [kv, effect] = t.split(':');
  return `${kv!.split('=')[0]}${effect ? `:${effect}` : ''}`;
}
