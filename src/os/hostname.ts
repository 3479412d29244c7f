import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import type { NodeChange } from '../change/types.js';
import { renderTemplate } from '../templates.js';
import { joinLines, parseMode, replaceBlock, splitLines } from './text.js';

export const HOSTNAME_FILE = '/etc/hostname';
export const HOSTS_FILE = '/etc/hosts';
export const HOSTS_BEGIN = '# BEGIN kbootstrap cluster';
export const HOSTS_END = '# END kbootstrap cluster';

/** What Debian and Pi OS put in /etc/hosts, for a node that has none (a minimal root filesystem). */
const DEFAULT_HOSTS = ['127.0.0.1\tlocalhost', '::1\t\tlocalhost ip6-localhost ip6-loopback', 'ff02::1\t\tip6-allnodes', 'ff02::2\t\tip6-allrouters'];

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function names(name: string, domain: string | undefined): string {
  return domain ? `${name}.${domain} ${name}` : name;
}

/**
 * /etc/hostname and the running hostname. The running name is set with `hostname`, not hostnamectl:
 * hostnamectl needs dbus, which minimal images (and the lab's nodes) do not have, and /etc/hostname
 * is what every init reads at boot. No reboot needed.
 */
export function planHostname(node: ResolvedNode, facts: NodeFacts): NodeChange[] {
  const changes: NodeChange[] = [];
  const now = facts.files[HOSTNAME_FILE];
  const content = `${node.name}\n`;
  if (now?.content !== content) {
    changes.push({ kind: 'file', description: `set hostname ${node.name} in ${HOSTNAME_FILE}`, path: HOSTNAME_FILE, content, before: now?.content ?? null, mode: parseMode(now?.mode) ?? 0o644 });
  }
  if (facts.hostname !== node.name) {
    changes.push({ kind: 'command', description: `rename the running system from ${facts.hostname} to ${node.name}`, command: `hostname ${node.name}` });
  }
  return changes;
}

/** The cluster block: every node of the inventory at its static IP (its SSH address when it has none and that is an IPv4). */
export function clusterHostsBlock(inv: ResolvedInventory): string[] {
  const entries = inv.nodes
    .map((n) => ({ ip: n.target?.ip ?? (IPV4.test(n.connect.host) ? n.connect.host : undefined), names: names(n.name, inv.cluster.domain) }))
    .filter((e): e is { ip: string; names: string } => e.ip !== undefined);
  return splitLines(renderTemplate('os/hosts-cluster-block', { begin: HOSTS_BEGIN, end: HOSTS_END, entries })).lines;
}

/**
 * /etc/hosts: the `127.0.1.1` line names this node (Debian's convention), and with hostsFile
 * 'cluster' a managed block lists every node. Every other line, localhost ones included, is kept.
 */
export function planHosts(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory): NodeChange[] {
  const now = facts.files[HOSTS_FILE];
  const before = now?.content ?? null;
  const selfLine = `127.0.1.1\t${names(node.name, inv.cluster.domain)}`;
  const parsed = before === null ? { lines: [...DEFAULT_HOSTS], trailingNewline: true } : splitLines(before);
  const lines: string[] = [];
  let placed = false;
  for (const line of parsed.lines) {
    if (/^\s*127\.0\.1\.1\s/.test(line) || line.trim() === '127.0.1.1') {
      if (!placed) lines.push(selfLine);
      placed = true;
    } else {
      lines.push(line);
    }
  }
  if (!placed) {
    // Debian puts it right after the 127.0.0.1 line.
    const after = lines.findIndex((l) => /^\s*127\.0\.0\.1\s/.test(l));
    lines.splice(after + 1, 0, selfLine);
  }
  const withSelf = joinLines({ lines, trailingNewline: parsed.trailingNewline || before === null });
  const block = inv.prepare.hostsFile === 'cluster' ? clusterHostsBlock(inv) : null;
  const content = replaceBlock(withSelf, HOSTS_BEGIN, HOSTS_END, block, HOSTS_FILE);
  if (content === before) return [];
  const what = block ? `name ${node.name} and list ${block.length - 2} cluster node(s)` : `name ${node.name}`;
  return [{ kind: 'file', description: `${what} in ${HOSTS_FILE}`, path: HOSTS_FILE, content, before, mode: parseMode(now?.mode) ?? 0o644 }];
}
