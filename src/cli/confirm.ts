import type { LogEvent } from '../log/events.js';
import type { InventoryInput } from '../inventory/schema.js';

/** The wizard's answers as a table for a last look before the file is written. */
export function inventorySummaryTable(inv: InventoryInput): Extract<LogEvent, { kind: 'table' }> {
  const net = inv.network ?? {};
  return {
    kind: 'table',
    title: `Cluster ${inv.cluster.name}: ${inv.nodes.length} node${inv.nodes.length === 1 ? '' : 's'}`,
    columns: ['NODE', 'ROLE', 'ADDRESS NOW', 'STATIC IP'],
    rows: inv.nodes.map((n) => [n.name, n.role ?? 'agent', n.address, n.staticIp ? `${n.staticIp}/${n.network?.prefix ?? net.prefix ?? 24}` : '(unchanged)']),
  };
}

export function inventorySummaryText(inv: InventoryInput): string {
  const ssh = inv.ssh ?? {};
  const auth = ssh.privateKey
    ? `key ${ssh.privateKey}`
    : ssh.password?.env
      ? `password from $${ssh.password.env}`
      : ssh.password?.file
        ? `password from ${ssh.password.file}`
        : 'ssh-agent';
  const addons = Object.entries(inv.addons ?? {})
    .filter(([, a]) => a && a.enabled !== false)
    .map(([name]) => name);
  const net = inv.network ?? {};
  return [
    `board: ${inv.board ?? 'rpi4'}, ssh: ${ssh.user ?? 'pi'} with ${auth}`,
    net.gateway ? `network: /${net.prefix ?? 24}, gateway ${net.gateway}, DNS ${(net.dns ?? [net.gateway]).join(', ')}` : 'network: left as it is',
    `k3s: ${inv.k3s?.version ?? 'default version'}, addons: ${addons.length ? addons.join(', ') : 'none'}`,
  ].join('\n');
}
