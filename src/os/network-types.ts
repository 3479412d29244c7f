import type { NetworkStack, NodeFacts } from '../facts/types.js';
import type { NodeChange } from '../change/types.js';
import type { ResolvedNode } from '../inventory/resolved.js';

/** The static address a node should end up with (ResolvedNode.target plus the interface). */
export interface StaticTarget {
  iface: string;
  ip: string;
  prefix: number;
  gateway?: string;
  dns: string[];
}

export function staticTarget(node: ResolvedNode): StaticTarget | undefined {
  if (!node.target) return undefined;
  const { ip, prefix, gateway, dns } = node.target;
  return { iface: node.interface, ip, prefix, gateway, dns };
}

/** One way of setting a static IP: a network stack's own configuration files. */
export interface NetworkConfigurer {
  /** Shown in plans and errors: "NetworkManager keyfile". */
  name: string;
  /** The stack facts.networkStack reports when this configurer is the right one. */
  stack: NetworkStack;
  /** Fallback when the stack could not be detected: does this OS release normally use this configurer? */
  usualFor(osRelease: NodeFacts['osRelease']): boolean;
  /** File changes (only those that differ) that make `target` the address after a reboot. */
  plan(node: ResolvedNode, target: StaticTarget, facts: NodeFacts): NodeChange[];
}
