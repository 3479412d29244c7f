import type { ResolvedNode } from './resolved.js';
import type { Inventory } from './schema.js';

/** An interface as the node reports it: its name and its addresses in CIDR form (10.0.0.5/24). */
export interface InterfaceAddresses {
  name: string;
  addresses: readonly string[];
}

/**
 * Vagrant nodes: the private network's interface is the one that holds the node's address (eth1 on
 * some boxes, ens6 or enp0s8 on others), unless the inventory names one. Pure: the node with that
 * interface, or the node unchanged when it is no Vagrant node, the inventory names an interface, a
 * static IP is planned, or no interface holds the address.
 */
export function withInterfaceFromAddress(node: ResolvedNode, raw: Inventory, interfaces: readonly InterfaceAddresses[]): ResolvedNode {
  if (node.board !== 'vagrant' || node.target) return node;
  if ((raw.nodes[node.index]?.network?.interface ?? raw.network.interface) !== undefined) return node;
  const holder = interfaces.find((i) => i.addresses.some((a) => a.split('/')[0] === node.connect.host));
  return holder && holder.name !== node.interface ? { ...node, interface: holder.name } : node;
}
