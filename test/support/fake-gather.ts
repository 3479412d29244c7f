import type { NodeFacts } from '../../src/facts/types.js';
import type { Transport } from '../../src/ssh/transport.js';

/**
 * Stands in for src/facts/gather.js in orchestration tests (vi.mock): a FakeNode's facts are what it
 * says of itself; the facts script and its parser have their own tests (test/facts/). No import of
 * fake-node.ts here: that module imports the phases, which import the mocked module.
 */
export const FACTS_COMMAND = 'sh -s';

export async function gatherFacts(t: Transport): Promise<NodeFacts> {
  const node = t as Transport & { gathered?: () => NodeFacts };
  if (typeof node.gathered !== 'function') throw new Error(`gatherFacts: ${t.node} is not a FakeNode`);
  if (node.stats) node.stats.execs++;
  return node.gathered();
}

export const FIRST_SERVER_FACTS_COMMAND = 'sh -s first-server';

/**
 * gatherNode without a ServerSnapshot: a FakeNode has no facts script to answer the first server's part,
 * so the phases take their own round trips for tokens, k3s.yaml and the node list (the paths used
 * whenever the snapshot is stale); the snapshot itself has its tests in test/phases/server-snapshot.test.ts.
 */
export async function gatherNode(t: Transport): Promise<{ facts: NodeFacts }> {
  return { facts: await gatherFacts(t) };
}
