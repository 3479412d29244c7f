import { UserError } from '../errors.js';
import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory } from '../inventory/resolved.js';
import type { NodeState } from './context.js';

/** Whether the inventory names the node's interface (node.network.interface or network.interface). */
export function interfaceFromInventory(inv: ResolvedInventory, index: number): boolean {
  const raw = inv.raw.nodes[index] as { network?: { interface?: string } } | undefined;
  return (raw?.network?.interface ?? inv.raw.network?.interface) !== undefined;
}

/** Wireless by the kernel's naming (wlan0, wlp2s0): kbootstrap writes wired profiles only. */
export function isWireless(iface: string): boolean {
  return /^wl/.test(iface);
}

/**
 * The interface kbootstrap configures, when the inventory does not name one: the one carrying the
 * node's default route (a Pi on Wi-Fi, a VM's enp0s3), not a hard-coded eth0. A static IP on a Wi-Fi
 * interface is refused before any change: the profile kbootstrap writes is a wired one, and replacing
 * the Wi-Fi profile would cut the node off.
 */
export function chooseInterface(state: NodeState, facts: NodeFacts, inv: ResolvedInventory): void {
  const route = facts.defaultRoute?.interface;
  if (!interfaceFromInventory(inv, state.node.index) && route && route !== state.node.interface) {
    state.node = { ...state.node, interface: route };
  }
  if (state.node.target && isWireless(state.node.interface)) {
    throw new UserError(`${state.node.name} reaches the network over Wi-Fi (${state.node.interface}); kbootstrap sets a static IP on wired interfaces only and would replace its Wi-Fi profile`, {
      where: { node: state.node.name, file: inv.file },
      hint: `connect the node by Ethernet, or leave its address to DHCP (remove staticIp for ${state.node.name}) and reserve the address in your router`,
    });
  }
}
