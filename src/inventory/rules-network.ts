import { sameSubnet, subnetOf } from './ipv4.js';
import { error, type RuleInput, type RuleProblem } from './rule-types.js';

export const DEFAULT_PREFIX = 24;

/** Each static IP: a gateway to go with it, inside the gateway's subnet, not a reserved address. */
export function networkRules(input: RuleInput): RuleProblem[] {
  const out: RuleProblem[] = [];
  for (const { index, node } of input.nodes) {
    const ip = node.staticIp;
    if (!ip) continue;
    const path = ['nodes', index, 'staticIp'];
    const prefix = node.network?.prefix ?? input.network.prefix ?? DEFAULT_PREFIX;
    const gateway = node.network?.gateway ?? input.network.gateway;
    const subnet = subnetOf(ip, prefix);
    const problem = (message: string, hint: string) => out.push(error({ path, node: node.name, message, hint }));

    if (!gateway) {
      problem(`static IP ${ip} has no gateway`, 'set network.gateway at the top level (or in the node), e.g. 192.168.2.1');
      continue;
    }
    if (ip === gateway) {
      problem(`static IP ${ip} is the gateway's address`, 'give the node an address of its own in the subnet');
      continue;
    }
    if (!sameSubnet(ip, gateway, prefix)) {
      const gwNet = subnetOf(gateway, prefix);
      problem(
        `static IP ${ip} is outside ${gwNet.network}/${prefix}, the subnet of gateway ${gateway}`,
        `pick an address in ${gwNet.network}/${prefix}, or fix network.gateway / network.prefix`,
      );
      continue;
    }
    if (ip === subnet.network) problem(`static IP ${ip} is the network address of ${subnet.network}/${prefix}`, 'hosts cannot use the first address of a subnet');
    else if (ip === subnet.broadcast) problem(`static IP ${ip} is the broadcast address of ${subnet.network}/${prefix}`, 'hosts cannot use the last address of a subnet');
  }
  return out;
}
