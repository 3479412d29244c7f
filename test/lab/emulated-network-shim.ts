import { lstat, readdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { inNetns, run, runOk } from './sh.js';
import type { NetworkStack } from './variants.js';

/**
 * THE LAB'S ONE SHIM. Under qemu-user no network daemon runs (NetworkManager aborts in its netlink
 * code, dhcpcd fails with "if_opensockets: Protocol not supported"), so on arm64 nodes the lab does at
 * every boot what the node's own stack would do with the configuration on its disk: read the
 * NetworkManager keyfile, the dhcpcd.conf `interface eth0` block or the netplan YAML, and apply the
 * static address from outside with native `ip` in the node's network namespace; else take a DHCP
 * lease with busybox udhcpc. It writes /etc/resolv.conf like the stack would. amd64 nodes never use it.
 */

export type NetworkIntent =
  | { kind: 'static'; address: string; prefix: number; gateway?: string; dns: string[]; source: string }
  | { kind: 'dhcp'; source: string };

const DHCP = (source: string): NetworkIntent => ({ kind: 'dhcp', source });

function splitCidr(cidr: string): { address: string; prefix: number } | undefined {
  const m = /^\s*(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?\s*$/.exec(cidr);
  if (!m?.[1]) return undefined;
  return { address: m[1], prefix: m[2] ? Number(m[2]) : 24 };
}

function iniSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec?.[1]) {
      current = sections.get(sec[1]) ?? new Map();
      sections.set(sec[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

const dnsList = (v: string | undefined): string[] => (v ?? '').split(/[;,\s]+/).filter((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s));

/** One NetworkManager keyfile: the eth0 intent, or undefined when it does not apply to eth0. */
export function intentFromKeyfile(text: string, source: string): (NetworkIntent & { priority: number }) | undefined {
  const s = iniSections(text);
  const conn = s.get('connection');
  if (!conn) return undefined;
  const iface = conn.get('interface-name');
  const type = conn.get('type');
  if (iface ? iface !== 'eth0' : type !== 'ethernet' && type !== '802-3-ethernet') return undefined;
  if (conn.get('autoconnect') === 'false') return undefined;
  const priority = Number(conn.get('autoconnect-priority') ?? 0);
  const ipv4 = s.get('ipv4');
  if (ipv4?.get('method') !== 'manual') return { ...DHCP(source), priority };
  const first = ipv4.get('address1') ?? ipv4.get('addresses');
  if (!first) return { ...DHCP(source), priority };
  const [cidr, gw] = first.split(',');
  const addr = splitCidr(cidr ?? '');
  if (!addr) return undefined;
  return { kind: 'static', ...addr, gateway: gw?.trim() || ipv4.get('gateway'), dns: dnsList(ipv4.get('dns')), source, priority };
}

/** dhcpcd.conf: the `static` lines of the `interface eth0` block. */
export function intentFromDhcpcdConf(text: string, source: string): NetworkIntent {
  let inEth0 = false;
  const opts = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const block = /^(interface|profile|ssid)\s+(\S+)/.exec(line);
    if (block) {
      inEth0 = block[1] === 'interface' && block[2] === 'eth0';
      continue;
    }
    const st = /^static\s+([a-z0-9_]+)=(.*)$/.exec(line);
    if (inEth0 && st?.[1]) opts.set(st[1], st[2]?.trim() ?? '');
  }
  const addr = splitCidr(opts.get('ip_address') ?? '');
  if (!addr) return DHCP(source);
  return { kind: 'static', ...addr, gateway: opts.get('routers')?.split(/\s+/)[0], dns: dnsList(opts.get('domain_name_servers')), source };
}

interface NetplanEth {
  dhcp4?: boolean;
  addresses?: string[];
  gateway4?: string;
  routes?: { to?: string; via?: string }[];
  nameservers?: { addresses?: string[] };
  match?: { name?: string };
}

/** netplan: files in lexical order, later ones override eth0's keys (a simplified netplan merge). */
export function intentFromNetplan(files: { name: string; text: string }[]): NetworkIntent {
  let eth: NetplanEth = {};
  let source = 'netplan (no eth0)';
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const doc = parseYaml(f.text) as { network?: { ethernets?: Record<string, NetplanEth> } } | null;
    for (const [key, value] of Object.entries(doc?.network?.ethernets ?? {})) {
      if (key === 'eth0' || value?.match?.name === 'eth0') {
        eth = { ...eth, ...value };
        source = f.name;
      }
    }
  }
  const addr = splitCidr(eth.addresses?.find((a) => /^\d+\./.test(String(a))) ?? '');
  if (!addr) return DHCP(source);
  const defaultRoute = eth.routes?.find((r) => r.to === 'default' || r.to === '0.0.0.0/0');
  return { kind: 'static', ...addr, gateway: defaultRoute?.via ?? eth.gateway4, dns: eth.nameservers?.addresses ?? [], source };
}

/** Reads the node's disk (its root seen from the host) and decides what its stack would do. */
export async function readNetworkIntent(root: string, stack: NetworkStack): Promise<NetworkIntent> {
  if (stack === 'dhcpcd') {
    const text = await readFile(join(root, 'etc/dhcpcd.conf'), 'utf8').catch(() => '');
    return intentFromDhcpcdConf(text, '/etc/dhcpcd.conf');
  }
  if (stack === 'netplan') {
    const dir = join(root, 'etc/netplan');
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.yaml'));
    const files = await Promise.all(names.map(async (n) => ({ name: `/etc/netplan/${n}`, text: await readFile(join(dir, n), 'utf8') })));
    return intentFromNetplan(files);
  }
  const dir = join(root, 'etc/NetworkManager/system-connections');
  let best: (NetworkIntent & { priority: number }) | undefined;
  for (const n of (await readdir(dir).catch(() => [] as string[])).sort()) {
    if (!n.endsWith('.nmconnection')) continue;
    const st = await lstat(join(dir, n));
    // Like NetworkManager: a keyfile that others can read, or not owned by root, is ignored.
    if (!st.isFile() || st.uid !== 0 || (st.mode & 0o077) !== 0) continue;
    const intent = intentFromKeyfile(await readFile(join(dir, n), 'utf8'), `${dir.slice(root.length)}/${n}`);
    if (intent && (!best || intent.priority > best.priority)) best = intent;
  }
  return best ?? DHCP('NetworkManager default (Wired connection 1)');
}

async function writeResolvConf(root: string, dns: string[]): Promise<void> {
  const path = join(root, 'etc/resolv.conf');
  await rm(path, { force: true });
  await writeFile(path, `# Generated by the kbootstrap lab network shim\n${dns.map((d) => `nameserver ${d}\n`).join('')}`);
  await chmod(path, 0o644);
}

const UDHCPC_SCRIPT = '#!/bin/sh\ncase "$1" in bound|renew) echo "KBLAB ip=$ip mask=$mask router=$router dns=$dns";; esac\nexit 0\n';

/** busybox udhcpc exports `mask` as a prefix length ("24"); accept a dotted mask too. */
export function maskToPrefix(mask: string): number {
  if (/^\d+$/.test(mask)) return Number(mask);
  return mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** Applies the intent in the node's namespace. Returns the address it configured. */
export async function applyNetworkIntent(
  netns: string, root: string, intent: NetworkIntent, opts: { scriptPath: string; hostname: string; fallbackDns: string },
): Promise<string> {
  await runOk('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
  if (intent.kind === 'static') {
    await runOk('ip', ['-n', netns, 'addr', 'replace', `${intent.address}/${intent.prefix}`, 'dev', 'eth0']);
    if (intent.gateway) await run('ip', ['-n', netns, 'route', 'replace', 'default', 'via', intent.gateway]);
    await writeResolvConf(root, intent.dns.length ? intent.dns : [opts.fallbackDns]);
    return intent.address;
  }
  await writeFile(opts.scriptPath, UDHCPC_SCRIPT, { mode: 0o755 });
  // While the node boots, an ACK is sometimes missed; a client retries, and so does the shim.
  let m: RegExpExecArray | null = null;
  let stderr = '';
  for (let attempt = 0; attempt < 4 && !m; attempt++) {
    const r = await inNetns(netns, 'busybox', ['udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', '5', '-T', '2', '-s', opts.scriptPath, '-x', `hostname:${opts.hostname}`]);
    m = /KBLAB ip=(\S+) mask=(\S+) router=(\S*) dns=(.*)/.exec(r.stdout);
    stderr = r.stderr;
  }
  if (!m?.[1] || !m[2]) throw new Error(`udhcpc got no lease on ${netns}: ${stderr.slice(-300)}`);
  await runOk('ip', ['-n', netns, 'addr', 'replace', `${m[1]}/${maskToPrefix(m[2])}`, 'dev', 'eth0']);
  const router = m[3]?.split(/\s+/)[0];
  if (router) await run('ip', ['-n', netns, 'route', 'replace', 'default', 'via', router]);
  await writeResolvConf(root, dnsList(m[4]));
  return m[1];
}
