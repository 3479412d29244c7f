import type { ResolvedNode } from '../../src/inventory/resolved.js';
import type { Transport } from '../../src/ssh/transport.js';
import { connectFault, type ConnectFault } from './fake-connect.js';

/**
 * The machines an action test's inventory points at, for a vi.mock of ssh/connect.js's connectNode:
 * the actions open their connections as in a real run and reach these fakes. No import of
 * fake-node.ts here: it imports the phases, which import the mocked module.
 */
export const fleet = {
  nodes: new Map<string, Transport & { stats: { connections: number } }>(),
  /** Faults by node name, or by "name@address" for one address only. */
  faults: new Map<string, ConnectFault>(),
  /** Every connection attempt, "name@address", in order. */
  attempts: [] as string[],
};

export async function fakeConnectNode(node: ResolvedNode): Promise<Transport> {
  const host = node.connect.host;
  fleet.attempts.push(`${node.name}@${host}`);
  const fault = fleet.faults.get(`${node.name}@${host}`) ?? fleet.faults.get(node.name);
  if (fault) throw connectFault(fault, node, host);
  const t = fleet.nodes.get(node.name);
  if (!t) throw new Error(`no fake node ${node.name} in the fleet`);
  t.stats.connections++;
  return t;
}
