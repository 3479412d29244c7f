import type { NodeFacts } from '../facts/types.js';
import type { ResolvedNode } from '../inventory/resolved.js';
import type { Problem } from './problem.js';

interface Entry {
  node: ResolvedNode;
  facts: NodeFacts;
}

/** Hostnames images ship with: two fresh nodes sharing one is expected (they are renamed). */
const IMAGE_DEFAULT_HOSTNAMES = new Set(['raspberrypi', 'ubuntu', 'debian', 'localhost', 'vagrant', 'dietpi']);

function groupBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!k) continue;
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

/** Cloned SD cards share /etc/machine-id; systemd, DHCP client ids and k3s/flannel rely on it being unique. */
export function duplicateMachineIdProblems(entries: Entry[]): Problem[] {
  const problems: Problem[] = [];
  for (const [id, group] of groupBy(entries, (e) => e.facts.machineId.trim() || undefined)) {
    if (group.length < 2) continue;
    for (const e of group) {
      const others = group.filter((o) => o !== e).map((o) => o.node.name);
      problems.push({
        node: e.node.name,
        severity: 'error',
        message: `machine-id ${id} is also the machine-id of ${others.join(', ')} (a cloned SD card?)`,
        hint: 'on each clone run: sudo rm /etc/machine-id && sudo systemd-machine-id-setup, then reboot',
      });
    }
  }
  return problems;
}

/**
 * Current hostnames only warn: every node is renamed to its inventory name (the inventory rules catch
 * two nodes ending with one name). Suspicious are a shared non-default name (a clone of a configured
 * node) and a node that already carries another node's inventory name (addresses swapped?).
 */
export function hostnameProblems(entries: Entry[]): Problem[] {
  const problems: Problem[] = [];
  for (const [hostname, group] of groupBy(entries, (e) => e.facts.hostname.trim() || undefined)) {
    if (group.length < 2 || IMAGE_DEFAULT_HOSTNAMES.has(hostname.toLowerCase())) continue;
    for (const e of group) {
      const others = group.filter((o) => o !== e).map((o) => o.node.name);
      problems.push({ node: e.node.name, severity: 'warning', message: `its hostname is ${hostname}, the same as on ${others.join(', ')} (a cloned SD card?)` });
    }
  }
  const byName = new Map(entries.map((e) => [e.node.name, e]));
  for (const e of entries) {
    const current = e.facts.hostname.trim();
    const owner = byName.get(current);
    if (owner && owner !== e) {
      problems.push({
        node: e.node.name,
        severity: 'warning',
        message: `the host at ${e.node.connect.host} calls itself ${current}, the inventory name of another node`,
        hint: `check that ${e.node.name}'s ssh host is the right machine (addresses swapped?)`,
      });
    }
  }
  return problems;
}

function hasAddress(facts: NodeFacts, ip: string): boolean {
  return facts.interfaces.some((i) => i.addresses.some((a) => a.split('/')[0] === ip));
}

/**
 * A static IP someone else answers: `ipInUse` maps an IP to who answered it (a MAC, or 'ping' when
 * only an echo reply was seen). The node itself answering (already on its static IP) is fine; another
 * node of this inventory holding it now warns when that node moves elsewhere, else an outsider: error.
 */
export function staticIpProblems(entries: Entry[], ipInUse: Map<string, string> | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const e of entries) {
    const target = e.node.target;
    if (!target || hasAddress(e.facts, target.ip)) continue;
    const ownMacs = new Set(e.facts.interfaces.map((i) => i.mac?.toLowerCase()).filter(Boolean));
    const who = ipInUse?.get(target.ip)?.toLowerCase();
    if (who && ownMacs.has(who)) continue;

    const holder = entries.find(
      (o) => o !== e && (hasAddress(o.facts, target.ip) || (who !== undefined && o.facts.interfaces.some((i) => i.mac?.toLowerCase() === who))),
    );
    if (holder) {
      if (holder.node.target && holder.node.target.ip !== target.ip) {
        problems.push({
          node: e.node.name,
          severity: 'warning',
          message: `its static IP ${target.ip} is held now by ${holder.node.name}, which moves to ${holder.node.target.ip}`,
          hint: 'both nodes reboot at once; if one comes back first the address may clash briefly',
        });
      } else {
        problems.push({
          node: e.node.name,
          severity: 'error',
          message: `its static IP ${target.ip} is the current address of ${holder.node.name}, which keeps it`,
          hint: `give ${e.node.name} another staticIp, or give ${holder.node.name} a staticIp of its own`,
        });
      }
      continue;
    }
    if (who) {
      problems.push({
        node: e.node.name,
        severity: 'error',
        message: `its static IP ${target.ip} is already in use by another host (${who === 'ping' ? 'it answers ping' : `MAC ${who}`})`,
        hint: 'pick a free address outside the DHCP range, or find that host (arp -n / the router\'s client list)',
      });
    }
  }
  return problems;
}
