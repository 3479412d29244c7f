import type { NodeFacts, ServerSnapshot } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import type { Logger } from '../log/events.js';
import type { Transport } from '../ssh/transport.js';
import type { StopSignal } from './interrupt.js';

/** Everything one run knows about one node. Phases read and extend it; nothing else is global. */
export interface NodeState {
  node: ResolvedNode;
  transport?: Transport;
  /** The address the transport is connected to now. */
  host?: string;
  facts?: NodeFacts;
  /** Workstation clock when the facts call started and ended, for clock-skew checks. */
  factsWindow?: { startMs: number; endMs: number };
  /** Set when a phase failed on this node: later phases skip it. */
  error?: Error;
  /** Changes applied (or, under --dry-run, planned) on this node. */
  changes: number;
  rebootRequired: boolean;
  rebootReasons: string[];
  rebooted: boolean;
  /** The first server only: what its facts pass read of its k3s (secrets: memory only). Use serverSnapshot(). */
  serverSnapshot?: ServerSnapshot;
}

/** Shows `summary`, asks `question` (or the default question), and says whether the user said yes. */
export type Confirmer = (summary: string, question?: string) => Promise<boolean>;

export type ConnectFn = (node: ResolvedNode, host: string) => Promise<Transport>;

export interface RunContext {
  inventory: ResolvedInventory;
  log: Logger;
  dryRun: boolean;
  /** Every node of the inventory this run works on, in inventory order. */
  states: NodeState[];
  connect: ConnectFn;
  /** Rolling changes on nodes already in the cluster (--max-unavailable: agents drained and disrupted at once). */
  rolling?: { maxUnavailable: number };
  /** Set by Ctrl-C / SIGTERM: nothing new starts (phases, nodes, changes). */
  stop?: StopSignal;
  /** Values shared between phases (join token, server URL, binary paths). Secret values are registered with the logger. */
  shared: SharedState;
  /**
   * Asks before a destructive step (a reset, removing a node or an addon); absent: nothing can be asked
   * (a confirmation phase stops the run with an error, the addon removal is left out with a warning).
   * --yes answers yes.
   */
  confirm?: Confirmer;
  /** --yes: confirmations answer yes without asking, and init shows no preview before its changes. */
  yes?: boolean;
  /** --offline: the addons' image check asks no registry (a warning says so). */
  offline?: boolean;
  /** Takes the cluster's run lock if this run does not hold it yet; change() asks before every change (phases/lock.ts). */
  holdLock?: () => Promise<void>;
}

export interface SharedState {
  /** The cluster's join token, read from the first server; only ever in memory. */
  token?: string;
  /** The agent token (K10…::node:…) agents join with, read from the first server; only ever in memory. */
  agentToken?: string;
  serverUrl?: string;
  binaries: Map<string, { path: string; sha256: string }>;
  /** The release a k3s channel (k3s.version: stable) resolved to, once per run (k3s-version.ts). */
  k3sVersion?: string;
  kubeconfigPath?: string;
  /** `addons status`: the addons the first server reports failed or not ready. */
  addonsNotReady?: string[];
}

export function newNodeState(node: ResolvedNode): NodeState {
  return { node, changes: 0, rebootRequired: false, rebootReasons: [], rebooted: false };
}

export function liveStates(ctx: RunContext): NodeState[] {
  return ctx.states.filter((s) => !s.error);
}

export function requireTransport(state: NodeState): Transport {
  if (!state.transport) throw new Error(`no connection to ${state.node.name}`);
  return state.transport;
}

export function requireFacts(state: NodeState): NodeFacts {
  if (!state.facts) throw new Error(`no facts for ${state.node.name}`);
  return state.facts;
}
