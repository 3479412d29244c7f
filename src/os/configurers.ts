import type { NodeFacts } from '../facts/types.js';
import { dhcpcdConfigurer } from './dhcpcd.js';
import type { NetworkConfigurer } from './network-types.js';
import { netplanConfigurer } from './netplan.js';
import { networkManagerConfigurer } from './networkmanager.js';

/** Every way kbootstrap knows to set a static IP. Explicit: nothing registers itself on import. */
export const NETWORK_CONFIGURERS: readonly NetworkConfigurer[] = [networkManagerConfigurer, dhcpcdConfigurer, netplanConfigurer];

/**
 * The configurer for a node: the stack the facts saw managing the network, else the one its OS
 * release normally uses (a node whose daemon is not running, as in the emulated lab); undefined when
 * neither says (ifupdown, systemd-networkd alone, an unknown OS).
 */
export function networkConfigurerFor(facts: NodeFacts): NetworkConfigurer | undefined {
  return (
    NETWORK_CONFIGURERS.find((c) => c.stack === facts.networkStack) ??
    (facts.networkStack === 'unknown' ? NETWORK_CONFIGURERS.find((c) => c.usualFor(facts.osRelease)) : undefined)
  );
}
