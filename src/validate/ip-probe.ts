import { InternalError } from '../errors.js';
import type { NodeFacts } from '../facts/types.js';
import type { ResolvedNode } from '../inventory/resolved.js';
import { sameSubnet } from '../inventory/ipv4.js';
import type { Transport } from '../ssh/transport.js';
import type { FleetProbes } from './fleet.js';

/**
 * "Is this static IP already taken?", asked from a node on the same link (the workstation may be on
 * Wi-Fi or another subnet), in one command for all the addresses. Each address gets one packet
 * (`ping -c1 -W1`, or, where ping is missing as on Debian minbase, a TCP connect through bash's
 * /dev/tcp), which makes the kernel ARP for it; the neighbour table then tells who answered, even when
 * that host drops pings. No ping and no bash: the check is skipped with a warning.
 */

interface Entry {
  node: ResolvedNode;
  facts: NodeFacts;
}

export interface IpProbePlan {
  /** Node that sends the probes. */
  prober: string;
  ips: string[];
}

/** Which static IPs to probe, and from where: the first node (inventory order) with an address on the same subnet. */
export function planIpProbes(entries: Entry[]): { plans: IpProbePlan[]; unreachable: string[] } {
  const plans = new Map<string, string[]>();
  const unreachable: string[] = [];
  for (const e of entries) {
    const target = e.node.target;
    if (!target || ownsAddress(e.facts, target.ip)) continue;
    const prober = entries.find((p) => ipv4Addresses(p.facts).some(({ ip, prefix }) => sameSubnet(ip, target.ip, prefix)));
    if (!prober) {
      unreachable.push(target.ip);
      continue;
    }
    const list = plans.get(prober.node.name) ?? [];
    if (!list.includes(target.ip)) list.push(target.ip);
    plans.set(prober.node.name, list);
  }
  return { plans: [...plans].map(([prober, ips]) => ({ prober, ips })), unreachable };
}

function ipv4Addresses(facts: NodeFacts): { ip: string; prefix: number }[] {
  return facts.interfaces
    .filter((i) => i.name !== 'lo')
    .flatMap((i) => i.addresses)
    .map((cidr) => /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ip: m[1]!, prefix: Number(m[2]) }));
}

function ownsAddress(facts: NodeFacts, ip: string): boolean {
  return ipv4Addresses(facts).some((a) => a.ip === ip);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** One sh command probing all `ips` in parallel; prints "IP reply|noreply|sent|notool [STATE MAC]" per address. */
export function buildIpProbeCommand(ips: string[]): string {
  for (const ip of ips) if (!IPV4.test(ip)) throw new InternalError(`not an IPv4 address: ${JSON.stringify(ip)}`);
  return [
    'probe() {',
    '  if [ -x /usr/bin/ping ] || [ -x /bin/ping ]; then',
    '    if ping -n -q -c1 -W1 "$1" >/dev/null 2>&1; then r=reply; else r=noreply; fi',
    '  elif [ -x /bin/bash ]; then',
    // A refused or failed connect says little (no route also fails fast): only the ARP entry counts.
    '    timeout 2 bash -c "exec 3<>/dev/tcp/$1/9" >/dev/null 2>&1; r=sent',
    '  else',
    '    echo "$1 notool"; return',
    '  fi',
    '  n=$(ip neigh show "$1" 2>/dev/null)',
    '  set -- "$1" $n',
    '  ip=$1; mac=; state=',
    '  while [ $# -gt 0 ]; do',
    '    case $1 in lladdr) mac=$2 ;; INCOMPLETE|REACHABLE|STALE|DELAY|PROBE|FAILED|PERMANENT|NOARP) state=$1 ;; esac',
    '    shift',
    '  done',
    '  echo "$ip $r $state $mac"',
    '}',
    `for a in ${ips.join(' ')}; do probe "$a" & done`,
    'wait',
  ].join('\n');
}

export interface IpProbeResult {
  /** IP → MAC of the host that answered ARP, or 'ping' when only an echo reply was seen. */
  inUse: Map<string, string>;
  /** Addresses the prober could not check (no ping, no bash). */
  unchecked: string[];
}

/**
 * A confirmed neighbour (REACHABLE, PERMANENT) or an echo reply means "in use". A STALE entry without a
 * reply is an old memory of a host that may be gone, so it does not count.
 */
export function parseIpProbeOutput(stdout: string): IpProbeResult {
  const inUse = new Map<string, string>();
  const unchecked: string[] = [];
  for (const line of stdout.split('\n')) {
    const [ip, result, state, mac] = line.trim().split(/\s+/);
    if (!ip || !IPV4.test(ip)) continue;
    if (result === 'notool') {
      unchecked.push(ip);
      continue;
    }
    const confirmed = state === 'REACHABLE' || state === 'PERMANENT';
    const validMac = mac && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac) ? mac.toLowerCase() : undefined;
    if (result === 'reply') inUse.set(ip, validMac ?? 'ping');
    else if (confirmed && validMac) inUse.set(ip, validMac);
  }
  return { inUse, unchecked };
}

/** Runs the probes (one command per prober, normally one) and returns what validateFleet needs. */
export async function probeStaticIps(entries: Entry[], transports: Map<string, Transport>): Promise<FleetProbes> {
  const { plans, unreachable } = planIpProbes(entries);
  const inUse = new Map<string, string>();
  const skipped: string[] = [];
  let skippedOn: string | undefined;
  for (const plan of plans) {
    const t = transports.get(plan.prober);
    if (!t) continue;
    const result = await t.exec(buildIpProbeCommand(plan.ips), { description: 'check that the static IPs are free', timeoutMs: 15_000 });
    const parsed = parseIpProbeOutput(result.stdout);
    for (const [ip, who] of parsed.inUse) inUse.set(ip, who);
    if (parsed.unchecked.length > 0) {
      skipped.push(`${plan.prober} has neither ping nor bash to probe ${parsed.unchecked.join(', ')}`);
      skippedOn ??= plan.prober;
    }
  }
  if (unreachable.length > 0) {
    skipped.push(`no node has an address on the subnet of ${unreachable.join(', ')}`);
    skippedOn ??= entries[0]?.node.name;
  }
  const probes: FleetProbes = { ipInUse: inUse };
  if (skipped.length > 0 && skippedOn) probes.ipCheckSkipped = { node: skippedOn, reason: skipped.join('; ') };
  return probes;
}
