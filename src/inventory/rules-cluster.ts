import { error, warning, type RuleInput, type RuleProblem } from './rule-types.js';
import { DEFAULT_K3S_VERSION, K3S_CHANNEL_PATTERN, K3S_VERSION_PATTERN } from './schema.js';

const PI_BOARDS = new Set(['rpi4', 'rpi5']);

/** Server count and HA, unique names/addresses/static IPs, the k3s version. */
export function clusterRules(input: RuleInput): RuleProblem[] {
  return [...serverRules(input), ...uniquenessRules(input), ...versionRules(input)];
}

function serverRules(input: RuleInput): RuleProblem[] {
  if (!input.rolesKnown || input.nodes.length === 0) return [];
  const out: RuleProblem[] = [];
  const servers = input.nodes.filter((n) => n.node.role === 'server');
  const ha = input.k3s?.ha ?? false;
  if (servers.length === 0) {
    out.push(error({ path: ['nodes'], at: 'key', message: 'no node has role: server', hint: 'give the first node `role: server` (nodes default to agent)' }));
    return out;
  }
  if (ha && servers.length % 2 === 0) {
    out.push(
      error({
        path: ['k3s', 'ha'],
        message: `HA with embedded etcd needs an odd number of servers, this inventory has ${servers.length}`,
        hint: `use ${servers.length - 1} or ${servers.length + 1} servers (etcd needs a majority to keep working)`,
      }),
    );
  }
  if (ha && servers.length === 1) {
    out.push(
      warning({
        path: ['k3s', 'ha'],
        message: 'HA with a single server: it starts embedded etcd (cluster-init) but tolerates no failure',
        hint: 'fine to grow into HA later; add 2 more servers for a fault-tolerant control plane',
      }),
    );
  }
  if (!ha && servers.length > 1) {
    for (const extra of servers.slice(1)) {
      out.push(
        error({
          path: ['nodes', extra.index, 'role'],
          node: extra.node.name,
          message: `a second server (after ${displayName(servers[0]!)}) needs k3s.ha: true`,
          hint: 'set k3s.ha: true with an odd number of servers (embedded etcd), or make this node an agent',
        }),
      );
    }
  }
  if (ha && servers.length > 1) {
    const piServers = servers.filter((s) => PI_BOARDS.has(s.node.board ?? input.board));
    if (piServers.length > 0) {
      out.push(
        warning({
          path: ['k3s', 'ha'],
          message: 'embedded etcd writes constantly and wears out SD cards (k3s docs)',
          hint: 'boot the servers from an SSD over USB',
        }),
      );
    }
  }
  return out;
}

function uniquenessRules(input: RuleInput): RuleProblem[] {
  const out: RuleProblem[] = [];
  const seen = (key: 'name' | 'address' | 'staticIp', what: string) => {
    const first = new Map<string, { index: number; name: string }>();
    for (const { index, node } of input.nodes) {
      const value = node[key];
      if (value === undefined) continue;
      const norm = value.toLowerCase();
      const earlier = first.get(norm);
      if (earlier) {
        const owner = key === 'name' ? `nodes[${earlier.index}]` : `node ${earlier.name} (nodes[${earlier.index}])`;
        out.push(
          error({
            path: ['nodes', index, key],
            node: node.name,
            message: `${what} ${value} is already used by ${owner}`,
            hint: `every node needs its own ${what}`,
          }),
        );
      } else first.set(norm, { index, name: displayName({ index, node }) });
    }
  };
  seen('name', 'name');
  seen('address', 'address');
  seen('staticIp', 'static IP');

  // A static IP that is another node's current address collides until that node has moved.
  const addresses = new Map(input.nodes.map((n) => [n.node.address, n]));
  for (const { index, node } of input.nodes) {
    const holderEntry = node.staticIp ? addresses.get(node.staticIp) : undefined;
    const holder = holderEntry && holderEntry.index !== index ? displayName(holderEntry) : undefined;
    if (holder) {
      out.push(
        warning({
          path: ['nodes', index, 'staticIp'],
          node: node.name,
          message: `static IP ${node.staticIp} is the current address of node ${holder}: both answer on it until ${holder} has moved`,
          hint: 'pick static IPs outside the DHCP range, or change the nodes one at a time',
        }),
      );
    }
  }
  return out;
}

const displayName = (n: { index: number; node: { name?: string } }) => n.node.name ?? `nodes[${n.index}]`;

/** A likely meant release for a near-miss like "1.31.4" or "v1.31.4-k3s1". */
export function suggestK3sVersion(written: string): string | undefined {
  const m = /^v?(1\.\d{2,}\.\d+(?:-rc\d+)?)(?:[-+_]?k3s(\d+))?$/.exec(written.trim());
  return m ? `v${m[1]}+k3s${m[2] ?? '1'}` : undefined;
}

function versionRules(input: RuleInput): RuleProblem[] {
  const version = input.k3s?.version;
  if (version === undefined || K3S_VERSION_PATTERN.test(version) || K3S_CHANNEL_PATTERN.test(version)) return [];
  const suggestion = suggestK3sVersion(version);
  const channel = /^(stable|latest|testing)$/i.test(version);
  return [
    error({
      path: ['k3s', 'version'],
      message: `"${version}" is not a k3s release name`,
      hint: suggestion
        ? `did you mean "${suggestion}"? k3s releases look like v1.31.4+k3s1`
        : channel
          ? `the channels kbootstrap follows are stable, latest and v1.NN (lower case); or pin a release like ${DEFAULT_K3S_VERSION}`
          : `k3s releases look like ${DEFAULT_K3S_VERSION} (see github.com/k3s-io/k3s/releases); channels: stable, latest, v1.34`,
    }),
  ];
}
