import { UserError } from '../errors.js';
import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import type { NodeChange, NodeChangeSet } from '../change/types.js';
import { planBootConfig } from './boot-config.js';
import { planCloudInit } from './cloud-init.js';
import { networkConfigurerFor, NETWORK_CONFIGURERS } from './configurers.js';
import { planHostname, planHosts } from './hostname.js';
import { staticTarget } from './network-types.js';
import { planSwapOff } from './swap.js';

export const REBOOT_NETWORK = 'network configuration changed';

/**
 * What keeps a node from being prepared, found from its facts alone: for the validate phase, which
 * reports the problems of every node before anything changes. Today: a static IP is wanted but the
 * node's network stack is not one kbootstrap can configure.
 */
export function preparationProblems(node: ResolvedNode, facts: NodeFacts): UserError[] {
  if (!node.target || networkConfigurerFor(facts)) return [];
  const os = facts.osRelease.prettyName ?? `${facts.osRelease.id} ${facts.osRelease.codename ?? facts.osRelease.versionId ?? ''}`.trim();
  return [
    new UserError(`cannot set the static IP ${node.target.ip}: the network on ${os} is managed by ${facts.networkStack}, which kbootstrap does not configure`, {
      where: { node: node.name },
      hint: `kbootstrap configures ${NETWORK_CONFIGURERS.map((c) => c.stack).join(', ')}. Remove staticIp from this node and give it a DHCP reservation, or switch the node to one of those.`,
    }),
  ];
}

/**
 * Everything that differs from what the node should be, in a fixed order: hostname, /etc/hosts,
 * cloud-init (off where it would undo them at boot), network, boot config, swap. Pure: facts and
 * inventory in, changes out; each file change carries the content now (`before`) for the plan's diff. Throws the UserError of preparationProblems, if any.
 */
export function planNodePreparation(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory): NodeChangeSet {
  const problem = preparationProblems(node, facts)[0];
  if (problem) throw problem;

  const changes: NodeChange[] = [];
  const rebootReasons: string[] = [];
  changes.push(...planHostname(node, facts));
  changes.push(...planHosts(node, facts, inv));
  // Before a reboot can apply anything: cloud-init would undo the two above (and the network) at boot.
  changes.push(...planCloudInit(facts));

  const target = staticTarget(node);
  const configurer = networkConfigurerFor(facts);
  if (target && configurer) {
    const network = configurer.plan(node, target, facts);
    changes.push(...network);
    if (network.length > 0) rebootReasons.push(REBOOT_NETWORK);
  }

  const boot = planBootConfig(node, facts, inv);
  changes.push(...boot.changes);
  rebootReasons.push(...boot.rebootReasons);

  if (inv.prepare.swapOff) changes.push(...planSwapOff(facts));

  return { changes, rebootRequired: rebootReasons.length > 0, rebootReasons };
}
