import { parse as parseYaml } from 'yaml';
import type { FileFact, NetworkStack } from './types.js';

export interface StackEvidence {
  /** `systemctl is-active` per unit ('unknown' when systemctl could not answer). */
  unitStates: Record<string, string>;
  /** Commands present on the node (script's tools section). */
  tools: string[];
  files: Record<string, FileFact>;
}

const NETPLAN_DIRS = ['/lib/netplan/', '/usr/lib/netplan/', '/run/netplan/', '/etc/netplan/'];

/**
 * Which stack manages the network: a running daemon first (NetworkManager, dhcpcd), then user netplan
 * files, an ifupdown stanza, networkd. When nothing runs (an emulated lab node, or a daemon that failed)
 * the installed daemon decides: it is what will manage the interface after the reboot.
 */
export function detectNetworkStack(e: StackEvidence): { stack: NetworkStack; netplanRenderer?: string } {
  const active = (unit: string) => e.unitStates[unit] === 'active';
  const netplanRenderer = netplanRendererOf(e.files);
  const withRenderer = (stack: NetworkStack) => (netplanRenderer ? { stack, netplanRenderer } : { stack });

  if (active('NetworkManager')) return withRenderer('NetworkManager');
  if (active('dhcpcd') || active('dhcpcd5')) return withRenderer('dhcpcd');
  if (hasFileUnder(e.files, '/etc/netplan/')) return { stack: 'netplan', netplanRenderer: netplanRenderer ?? 'networkd' };
  if (e.tools.includes('ifup') && hasIfupdownStanza(e.files)) return withRenderer('ifupdown');
  if (active('systemd-networkd')) return withRenderer('systemd-networkd');
  if (e.tools.includes('NetworkManager')) return withRenderer('NetworkManager');
  if (e.tools.includes('dhcpcd')) return withRenderer('dhcpcd');
  return withRenderer('unknown');
}

function hasFileUnder(files: Record<string, FileFact>, dir: string): boolean {
  return Object.values(files).some((f) => f.path.startsWith(dir) && f.path.endsWith('.yaml') && f.content !== null);
}

/**
 * The effective `network.renderer`: netplan reads /lib, /etc and /run, a file in a later directory
 * shadowing one of the same name, then merges in file-name order (the last renderer wins).
 */
export function netplanRendererOf(files: Record<string, FileFact>): string | undefined {
  const byName = new Map<string, FileFact>();
  for (const dir of NETPLAN_DIRS) {
    for (const f of Object.values(files)) {
      if (f.content === null || !f.path.startsWith(dir) || !f.path.endsWith('.yaml')) continue;
      byName.set(f.path.slice(dir.length), f);
    }
  }
  let renderer: string | undefined;
  for (const name of [...byName.keys()].sort()) {
    const r = rendererIn(byName.get(name)!.content!);
    if (r) renderer = r;
  }
  return renderer;
}

function rendererIn(yamlText: string): string | undefined {
  try {
    const doc = parseYaml(yamlText) as { network?: { renderer?: unknown } } | null;
    const r = doc?.network?.renderer;
    return typeof r === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** An `iface X inet|inet6 ...` stanza for anything but loopback in /etc/network/interfaces(.d). */
export function hasIfupdownStanza(files: Record<string, FileFact>): boolean {
  return Object.values(files).some(
    (f) =>
      (f.path === '/etc/network/interfaces' || f.path.startsWith('/etc/network/interfaces.d/')) &&
      f.content !== null &&
      /^\s*iface\s+(?!lo\s)\S+\s+inet6?\s/m.test(f.content),
  );
}
