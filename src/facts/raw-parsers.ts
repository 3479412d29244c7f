import type { FileFact, InterfaceFact, NodeFacts } from './types.js';

/**
 * Pure parsers of the raw text sections the facts script prints (see script.sh). Each takes the text
 * of one section and tolerates it being empty (a tool missing or failing on the node).
 */

export function lines(text: string | undefined): string[] {
  if (!text) return [];
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** /etc/os-release: KEY=value lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\([\\$"`])/g, '$1');
    }
    out[m[1]!] = value;
  }
  return out;
}

/** `ip -o link`: "4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> ... state UP ...\    link/ether aa:bb:..." */
export function parseIpLink(text: string): Map<string, { mac?: string; up: boolean }> {
  const out = new Map<string, { mac?: string; up: boolean }>();
  for (const line of lines(text)) {
    const m = /^\d+:\s+([^:\s]+):\s+<([^>]*)>/.exec(line);
    if (!m) continue;
    const name = m[1]!.replace(/@.*$/, '');
    const flags = m[2]!.split(',');
    const state = /\sstate\s+(\S+)/.exec(line)?.[1];
    const mac = /link\/ether\s+([0-9a-f:]{17})/i.exec(line)?.[1]?.toLowerCase();
    // Loopback and some virtual links say "state UNKNOWN" while carrying traffic: trust LOWER_UP then.
    const up = flags.includes('UP') && (state === 'UP' || (state === 'UNKNOWN' && flags.includes('LOWER_UP')));
    out.set(name, { mac, up });
  }
  return out;
}

/** `ip -o addr`: "4: eth0    inet 10.77.0.101/24 brd ... scope global eth0\ ..." (IPv4 and IPv6). */
export function parseIpAddr(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines(text)) {
    const m = /^\d+:\s+(\S+)\s+inet6?\s+(\S+)/.exec(line);
    if (!m) continue;
    const name = m[1]!.replace(/@.*$/, '');
    const list = out.get(name) ?? [];
    list.push(m[2]!);
    out.set(name, list);
  }
  return out;
}

export function buildInterfaces(linkText: string, addrText: string): InterfaceFact[] {
  const links = parseIpLink(linkText);
  const addrs = parseIpAddr(addrText);
  const names = [...new Set([...links.keys(), ...addrs.keys()])];
  return names.map((name) => {
    const link = links.get(name);
    const iface: InterfaceFact = { name, up: link?.up ?? false, addresses: addrs.get(name) ?? [] };
    if (link?.mac) iface.mac = link.mac;
    return iface;
  });
}

/** `ip route show default`: the route with the lowest metric (first listed on a tie). */
export function parseDefaultRoute(text: string): NodeFacts['defaultRoute'] {
  let best: { gateway: string; interface: string; metric: number } | undefined;
  for (const line of lines(text)) {
    const gateway = /\bvia\s+(\S+)/.exec(line)?.[1];
    const iface = /\bdev\s+(\S+)/.exec(line)?.[1];
    if (!gateway || !iface) continue;
    const metric = Number(/\bmetric\s+(\d+)/.exec(line)?.[1] ?? 0);
    if (!best || metric < best.metric) best = { gateway, interface: iface, metric };
  }
  return best && { gateway: best.gateway, interface: best.interface };
}

/** /proc/swaps: header, then "device type sizeKb used priority". */
export function parseProcSwaps(text: string): NodeFacts['swap']['active'] {
  return lines(text)
    .filter((l) => !l.startsWith('Filename'))
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols.length >= 3)
    .map(([device, type, size]) => ({ device: device!, type: type!, sizeKb: Number(size) || 0 }));
}

/** The script's meminfo section: "MemTotal: 3884564" (kB). */
export function parseMeminfo(text: string): NodeFacts['memory'] {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { totalMb: Math.floor(kb('MemTotal') / 1024), availableMb: Math.floor(kb('MemAvailable') / 1024) };
}

/** `df -Pk / /var/lib`: the Available column of the two data rows (/var/lib falls back to /). */
export function parseDf(text: string): NodeFacts['disk'] {
  const rows = lines(text)
    .filter((l) => !/^Filesystem\s/.test(l))
    .map((l) => Number(l.trim().split(/\s+/)[3]))
    .filter((n) => Number.isFinite(n));
  const rootKb = rows[0] ?? 0;
  const varLibKb = rows[1] ?? rootKb;
  return { rootFreeMb: Math.floor(rootKb / 1024), varLibFreeMb: Math.floor(varLibKb / 1024) };
}

/**
 * Controllers the node can use: cgroup v2's root `cgroup.controllers`, plus controllers enabled in
 * /proc/cgroups that are bound to a v1 hierarchy (hierarchy id not 0; a hybrid setup, as on the lab's
 * host, where a container's own v2 root shows none of them). On 6.12+ kernels /proc/cgroups no longer
 * lists memory, so there only cgroup.controllers counts.
 */
export function parseCgroups(v2Controllers: string | undefined, procCgroups: string | undefined): NodeFacts['cgroup'] {
  const v1Rows = lines(procCgroups)
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols[3] === '1');
  if (v2Controllers !== undefined) {
    const v2 = v2Controllers.trim().split(/\s+/).filter(Boolean);
    const v1Bound = v1Rows.filter((cols) => cols[1] !== '0').map((cols) => cols[0]!).filter((c) => !v2.includes(c));
    const controllers = [...v2, ...v1Bound];
    return { version: 2, controllers, memoryEnabled: controllers.includes('memory') };
  }
  const controllers = v1Rows.map((cols) => cols[0]!);
  return { version: 1, controllers, memoryEnabled: controllers.includes('memory') };
}

/** `systemctl is-active A B C` prints one state per unit, in order; anything else means "unknown". */
export function zipUnitStates(units: string[], states: string[]): Record<string, string> {
  const known = /^(active|inactive|failed|activating|deactivating|reloading|maintenance|refreshing|unknown)$/;
  const ok = states.length === units.length && states.every((s) => known.test(s));
  return Object.fromEntries(units.map((u, i) => [u, ok ? states[i]! : 'unknown']));
}

/** `sha256sum a b`: "<hex>  <path>" lines, keyed by path. */
export function parseSha256sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines(text)) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** "k3s version v1.31.4+k3s1 (a1b2c3d4)" → "v1.31.4+k3s1"; the raw line when it does not look like that. */
export function parseK3sVersion(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed) return undefined;
  return /\b(v\d+\.\d+\.\d+\S*)/.exec(trimmed)?.[1] ?? trimmed;
}

export class FileBlobMismatch extends Error {}

/**
 * The script sends every existing file as one base64 blob of their concatenation, plus `stat` lines
 * "size mode path" in the same order; this slices the blob back into files. Candidates that have no
 * stat line do not exist (content null). A size mismatch means a file changed between stat and cat.
 */
export function sliceFileBlob(candidates: string[], stats: string, blobBase64: string, root: string): Record<string, FileFact> {
  const blob = Buffer.from(blobBase64.trim(), 'base64');
  const files: Record<string, FileFact> = {};
  for (const path of candidates) files[path] = { path, content: null };
  let offset = 0;
  for (const line of lines(stats)) {
    const m = /^(\d+) ([0-7]+) (.+)$/.exec(line);
    if (!m) throw new FileBlobMismatch(`unreadable stat line "${line.slice(0, 80)}"`);
    const size = Number(m[1]);
    const path = root && m[3]!.startsWith(root) ? m[3]!.slice(root.length) : m[3]!;
    if (offset + size > blob.length) throw new FileBlobMismatch(`${path} is shorter than stat said`);
    files[path] = { path, content: blob.subarray(offset, offset + size).toString('utf8'), mode: m[2]! };
    offset += size;
  }
  if (offset !== blob.length) throw new FileBlobMismatch(`the file contents are ${blob.length - offset} bytes longer than stat said`);
  return files;
}
