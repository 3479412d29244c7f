import { describe, expect, it } from 'vitest';
import { formatProblem, parseInventoryText, type ResolvedInventory } from '../../src/inventory/index.js';
import { withInterfaceFromAddress } from '../../src/inventory/vagrant.js';

const present = () => ({ kind: 'file', mode: 0o600, readable: true }) as const;

function inventory(extra: string): ResolvedInventory {
  const text = `cluster: { name: v }\nboard: vagrant\nssh: { user: vagrant, agent: false, privateKey: ./k }\n${extra}`;
  const r = parseInventoryText(text, '/tmp/v.yaml', {}, { probe: present });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.inventory;
}

const nodesAt10 = 'nodes:\n  - { name: kmaster, role: server, address: 192.168.56.10 }\n';
const ifaces = [
  { name: 'lo', addresses: ['127.0.0.1/8'] },
  { name: 'ens5', addresses: ['192.168.121.40/24'] },
  { name: 'ens6', addresses: ['192.168.56.10/24'] },
];

describe('the private-network interface of a Vagrant node comes from its address', () => {
  it('is the interface that holds the address (not eth0, not an assumed eth1)', () => {
    const inv = inventory(nodesAt10);
    expect(inv.nodes[0]!.interface).toBe('eth0');
    expect(withInterfaceFromAddress(inv.nodes[0]!, inv.raw, ifaces).interface).toBe('ens6');
  });

  it('an interface named in the inventory (top level or per node) wins', () => {
    const top = inventory(`network: { interface: eth1 }\n${nodesAt10}`);
    expect(withInterfaceFromAddress(top.nodes[0]!, top.raw, ifaces).interface).toBe('eth1');
    const own = inventory('nodes:\n  - { name: kmaster, role: server, address: 192.168.56.10, network: { interface: eth7 } }\n');
    expect(withInterfaceFromAddress(own.nodes[0]!, own.raw, ifaces).interface).toBe('eth7');
  });

  it('leaves other boards, planned static IPs and unknown addresses alone', () => {
    const pi = inventory(`${nodesAt10.replace('address', 'board: rpi4, address')}`);
    expect(withInterfaceFromAddress(pi.nodes[0]!, pi.raw, ifaces).interface).toBe('eth0');
    const fixed = inventory('network: { gateway: 192.168.56.1 }\nnodes:\n  - { name: kmaster, role: server, address: 192.168.56.10, staticIp: 192.168.56.30 }\n');
    expect(withInterfaceFromAddress(fixed.nodes[0]!, fixed.raw, ifaces).interface).toBe('eth0');
    const elsewhere = inventory(nodesAt10.replace('.10', '.99'));
    expect(withInterfaceFromAddress(elsewhere.nodes[0]!, elsewhere.raw, ifaces).interface).toBe('eth0');
  });
});
