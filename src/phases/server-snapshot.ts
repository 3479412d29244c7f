import type { ServerSnapshot } from '../facts/types.js';
import { K3S_YAML_PATH } from '../k3s/api-client.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';

/**
 * The first server's snapshot (its tokens, k3s.yaml and node list, read in its facts round trip) while
 * it still says what a new read would: nothing was changed on that server and it was not rebooted in this
 * run. Otherwise undefined, and the caller reads live as before.
 */
export function serverSnapshot(state: NodeState): ServerSnapshot | undefined {
  return state.serverSnapshot && state.changes === 0 && !state.rebooted ? state.serverSnapshot : undefined;
}

/** The snapshot's node list, only while no node of the run changed or rebooted (a change may re-register a node). */
export function snapshotNodesJson(ctx: RunContext, server: NodeState): Promise<string | undefined> | undefined {
  if (ctx.states.some((s) => s.changes > 0 || s.rebooted)) return undefined;
  return serverSnapshot(server)?.nodesJson;
}

/** k3s.yaml as read live from a server in this run, with that server's change count then (memory only: it holds the admin key). */
const k3sYamlRead = new WeakMap<NodeState, { text: string; changes: number }>();

/**
 * A server's /etc/rancher/k3s/k3s.yaml (never logged): from its facts snapshot; else as read earlier in
 * this run while nothing changed on that server since; else read now, one round trip.
 */
export async function serverK3sYaml(server: NodeState): Promise<string> {
  const known = serverSnapshot(server)?.kubeconfig;
  if (known) return known;
  const read = k3sYamlRead.get(server);
  if (read && read.changes === server.changes) return read.text;
  const text = await requireTransport(server).run(`cat ${K3S_YAML_PATH}`, { sudo: true, description: `read ${K3S_YAML_PATH}` });
  k3sYamlRead.set(server, { text, changes: server.changes });
  return text;
}

/** Drops a k3s.yaml read earlier that the API did not accept, so the next use reads it again. */
export function forgetK3sYaml(server: NodeState): void {
  k3sYamlRead.delete(server);
}
