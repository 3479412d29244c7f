import { isMap, parseDocument } from 'yaml';
import type { NodeChange } from '../change/types.js';
import type { NetworkConfigurer, StaticTarget } from './network-types.js';
import { renderTemplate } from '../templates.js';
import { parseMode } from './text.js';

export const NETPLAN_DIR = '/etc/netplan';
export const NETPLAN_FILE = `${NETPLAN_DIR}/60-kbootstrap.yaml`;
const NETPLAN_MODE = 0o600;

/** Keys whose values netplan concatenates across files (sequences) or that add a route of their own. */
const ACCUMULATING_KEYS = ['addresses', 'routes', 'gateway4', 'nameservers'];
/** Keys a later file would override ours with. */
const OVERRIDING_KEYS = ['dhcp4', ...ACCUMULATING_KEYS];

export function renderNetplan(target: StaticTarget, renderer: string | undefined): string {
  return renderTemplate('os/netplan.yaml', {
    iface: target.iface,
    renderer: renderer ?? '',
    address: `${target.ip}/${target.prefix}`,
    gateway: target.gateway ?? '',
    dns: target.dns,
  });
}

/**
 * netplan (Ubuntu, Vagrant boxes): /etc/netplan/60-kbootstrap.yaml, mode 0600, with the renderer the
 * node uses now. netplan-generate(8): files are merged in lexical order of their names whatever their
 * directory; later scalars overwrite earlier ones, sequences are concatenated, mappings merge key by key.
 * So our `dhcp4: false` beats a `50-cloud-init.yaml` that says `dhcp4: true`, but its `addresses`,
 * `routes`, `nameservers` (and the `gateway4` route) would be kept beside ours: those are removed from
 * other /etc/netplan files' definition of the interface, and a later-sorting file loses `dhcp4` too.
 */
export const netplanConfigurer: NetworkConfigurer = {
  name: 'netplan',
  stack: 'netplan',
  usualFor: (os) => os.id === 'ubuntu',
  plan(_node, target, facts) {
    const changes: NodeChange[] = [];
    const content = renderNetplan(target, facts.netplanRenderer);
    const now = facts.files[NETPLAN_FILE];
    if (now?.content !== content || parseMode(now.mode) !== NETPLAN_MODE) {
      changes.push({
        kind: 'file',
        description: `set static IP ${target.ip}/${target.prefix} on ${target.iface} in ${NETPLAN_FILE}`,
        path: NETPLAN_FILE,
        content,
        before: now?.content ?? null,
        mode: NETPLAN_MODE,
      });
    }
    const others = Object.values(facts.files)
      .filter((f) => f.path.startsWith(`${NETPLAN_DIR}/`) && f.path.endsWith('.yaml') && f.path !== NETPLAN_FILE && f.content !== null)
      .sort((a, b) => a.path.localeCompare(b.path));
    for (const file of others) {
      const sortsAfterOurs = basename(file.path) > basename(NETPLAN_FILE);
      const keys = sortsAfterOurs ? OVERRIDING_KEYS : ACCUMULATING_KEYS;
      const edited = removeInterfaceKeys(file.content ?? '', target.iface, keys);
      if (!edited) continue;
      changes.push({
        kind: 'file',
        description: `remove ${edited.removed.join(', ')} of ${target.iface} from ${file.path} (they would ${sortsAfterOurs ? 'override' : 'add to'} ${NETPLAN_FILE})`,
        path: file.path,
        content: edited.text,
        before: file.content,
        mode: parseMode(file.mode) ?? NETPLAN_MODE,
      });
    }
    return changes;
  },
};

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Deletes `keys` from network.ethernets.<iface> in a netplan file, keeping comments and the rest of
 * the document; undefined when there is nothing to remove (or the file does not parse).
 */
export function removeInterfaceKeys(text: string, iface: string, keys: string[]): { text: string; removed: string[] } | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const definition = doc.getIn(['network', 'ethernets', iface]);
  if (!isMap(definition)) return undefined;
  const removed = keys.filter((k) => definition.has(k));
  if (removed.length === 0) return undefined;
  for (const k of removed) definition.delete(k);
  return { text: doc.toString(), removed };
}
