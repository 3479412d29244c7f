import { parseInventoryText } from '../../src/inventory/index.js';
import type { ResolvedInventory } from '../../src/inventory/resolved.js';
import { createMemoryLogger } from '../../src/log/index.js';
import { newNodeState, type ConnectFn, type RunContext } from '../../src/phases/context.js';

export const INVENTORY = `
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100, staticIp: 10.77.9.10 }
  - { name: knode1, role: agent, address: 10.77.9.101, staticIp: 10.77.9.11 }
  - { name: knode2, role: agent, address: 10.77.9.102, staticIp: 10.77.9.12 }
`;

/** Three servers (HA) and three agents, one of them new: the live-cluster rolling tests' fleet. */
export const HA_INVENTORY = `
cluster: { name: testlab }
k3s: { ha: true }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100 }
  - { name: kserver2, role: server, address: 10.77.9.103 }
  - { name: kserver3, role: server, address: 10.77.9.105 }
  - { name: knode1, role: agent, address: 10.77.9.101 }
  - { name: knode2, role: agent, address: 10.77.9.102 }
  - { name: knew, role: agent, address: 10.77.9.104 }
`;

export function testInventory(text = INVENTORY): ResolvedInventory {
  const r = parseInventoryText(text, '/tmp/kbootstrap-test/inventory.yaml', { TEST_PI_PASSWORD: 'not-a-real-password' });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.inventory;
}

export function testContext(inv: ResolvedInventory, connect: ConnectFn, dryRun = false): RunContext & { log: ReturnType<typeof createMemoryLogger> } {
  return {
    inventory: inv,
    log: createMemoryLogger(),
    dryRun,
    states: inv.nodes.map(newNodeState),
    connect,
    shared: { binaries: new Map() },
  };
}
