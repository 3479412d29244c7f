import type { FileFact, NodeFacts } from '../facts/types.js';
import type { NodeChange } from '../change/types.js';
import type { ResolvedNode } from '../inventory/resolved.js';
import type { NetworkConfigurer, StaticTarget } from './network-types.js';
import { stableUuid } from './stable-uuid.js';
import { renderTemplate } from '../templates.js';
import { joinLines, parseMode, splitLines } from './text.js';

export const NM_CONNECTIONS_DIR = '/etc/NetworkManager/system-connections';
const KEYFILE_MODE = 0o600;

export function nmConnectionId(iface: string): string {
  return `kbootstrap-${iface}`;
}

export function nmKeyfilePath(iface: string): string {
  return `${NM_CONNECTIONS_DIR}/${nmConnectionId(iface)}.nmconnection`;
}

export function renderNmKeyfile(node: ResolvedNode, target: StaticTarget): string {
  const cidr = `${target.ip}/${target.prefix}`;
  return renderTemplate('os/networkmanager.nmconnection', {
    iface: target.iface,
    id: nmConnectionId(target.iface),
    uuid: stableUuid(`${node.name}/${target.iface}`),
    address: target.gateway ? `${cidr},${target.gateway}` : cidr,
    dns: target.dns.map((d) => `${d};`).join(''),
  });
}

/**
 * NetworkManager (Pi OS Bookworm and Trixie): one keyfile that owns the interface.
 *
 * Other profiles that would auto-connect on the same interface (the image's "Wired connection 1",
 * a `preconfigured.nmconnection`, one made with nmcli) are kept but get `autoconnect=false`, so one
 * profile owns the interface and a removed kbootstrap profile cannot silently fall back to DHCP.
 * Profiles netplan generates into /run (Trixie's cloud-init network-config) cannot be edited for
 * good; our `autoconnect-priority=100` beats their default 0, which NetworkManager uses to choose
 * among the profiles that can auto-connect on a device.
 */
export const networkManagerConfigurer: NetworkConfigurer = {
  name: 'NetworkManager keyfile',
  stack: 'NetworkManager',
  usualFor: (os) => os.codename === 'bookworm' || os.codename === 'trixie',
  plan(node, target, facts) {
    const changes: NodeChange[] = [];
    const path = nmKeyfilePath(target.iface);
    const content = renderNmKeyfile(node, target);
    const now = facts.files[path];
    if (now?.content !== content || parseMode(now.mode) !== KEYFILE_MODE) {
      changes.push({
        kind: 'file',
        description: `set static IP ${target.ip}/${target.prefix} on ${target.iface} in ${path}`,
        path,
        content,
        before: now?.content ?? null,
        mode: KEYFILE_MODE,
      });
    }
    const mac = facts.interfaces.find((i) => i.name === target.iface)?.mac;
    for (const file of otherKeyfiles(facts, path)) {
      const profile = parseKeyfile(file.content ?? '');
      if (!profileClaims(profile, target.iface, mac) || profile.get('connection')?.get('autoconnect') === 'false') continue;
      const id = profile.get('connection')?.get('id') ?? file.path;
      changes.push({
        kind: 'file',
        description: `stop NetworkManager profile "${id}" from auto-connecting on ${target.iface} (${nmConnectionId(target.iface)} replaces it)`,
        path: file.path,
        content: setConnectionKey(file.content ?? '', 'autoconnect', 'false'),
        before: file.content,
        mode: parseMode(file.mode) ?? KEYFILE_MODE,
      });
    }
    return changes;
  },
};

function otherKeyfiles(facts: NodeFacts, ours: string): FileFact[] {
  return Object.values(facts.files)
    .filter((f) => f.path.startsWith(`${NM_CONNECTIONS_DIR}/`) && f.path !== ours && f.content !== null)
    .sort((a, b) => a.path.localeCompare(b.path));
}

type Keyfile = Map<string, Map<string, string>>;

/** A keyfile as section → key → value (the ini dialect NetworkManager writes). */
export function parseKeyfile(text: string): Keyfile {
  const sections: Keyfile = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      current = sections.get(header[1]) ?? new Map();
      sections.set(header[1], current);
    } else if (current) {
      const eq = line.indexOf('=');
      if (eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
  }
  return sections;
}

/** Whether an ethernet profile can auto-connect on `iface`: bound to its name, its MAC, or to any device. */
function profileClaims(profile: Keyfile, iface: string, mac: string | undefined): boolean {
  const conn = profile.get('connection');
  const type = conn?.get('type');
  if (type !== 'ethernet' && type !== '802-3-ethernet') return false;
  const boundName = conn?.get('interface-name');
  if (boundName) return boundName === iface;
  const ethernet = profile.get('ethernet') ?? profile.get('802-3-ethernet');
  const boundMac = ethernet?.get('mac-address');
  if (boundMac) return mac !== undefined && boundMac.toLowerCase() === mac.toLowerCase();
  return true;
}

/** Sets `key=value` in the [connection] section, keeping every other line as it was. */
export function setConnectionKey(text: string, key: string, value: string): string {
  const parsed = splitLines(text);
  const lines = [...parsed.lines];
  let inConnection = false;
  let headerAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      inConnection = header[1] === 'connection';
      if (inConnection) headerAt = i;
      continue;
    }
    if (inConnection && line.startsWith(`${key}=`)) {
      lines[i] = `${key}=${value}`;
      return joinLines({ lines, trailingNewline: parsed.trailingNewline });
    }
  }
  if (headerAt < 0) lines.unshift('[connection]', `${key}=${value}`);
  else lines.splice(headerAt + 1, 0, `${key}=${value}`);
  return joinLines({ lines, trailingNewline: parsed.trailingNewline });
}
