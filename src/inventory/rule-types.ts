import type { Board, Inventory, NodeEntry } from './schema.js';

/**
 * A node as the rules see it: like NodeEntry, but from a broken file `name` and `address` may be
 * missing or malformed (they are still compared for uniqueness when present).
 */
export type RuleNode = Omit<NodeEntry, 'name' | 'address'> & { name?: string; address?: string };
import type { Problem } from './problem.js';

/** What the rules look at: the parts of an inventory that passed the schema (maybe after salvage). */
export interface RuleInput {
  /** The file's nodes (what of them could be read), with their index in its `nodes` list. */
  nodes: { index: number; node: RuleNode }[];
  /** True when every node's role is known, so counting rules (servers, HA) can be trusted. */
  rolesKnown: boolean;
  /** True when every ssh block passed the schema, so "no way to log in" can be judged. */
  sshKnown: boolean;
  board: Board;
  ssh: Inventory['ssh'];
  network: Inventory['network'];
  /** Absent when that section failed the schema. */
  k3s?: Inventory['k3s'];
  addons?: Inventory['addons'];
}

export type FileProbe = (absolutePath: string) =>
  | { kind: 'missing' }
  | { kind: 'not-a-file' }
  | { kind: 'file'; mode: number; readable: boolean };

export interface RuleContext {
  env: NodeJS.ProcessEnv;
  /** Directory of the inventory: relative paths in it start there. */
  baseDir: string;
  homeDir?: string;
  probe: FileProbe;
}

/** A rule's finding; the loader adds file, line and column from `path`. */
export type RuleProblem = Omit<Problem, 'file' | 'line' | 'column'> & { at?: 'value' | 'key' };

export function inputFromInventory(inv: Inventory): RuleInput {
  return {
    nodes: inv.nodes.map((node, index) => ({ index, node })),
    rolesKnown: true,
    sshKnown: true,
    board: inv.board,
    ssh: inv.ssh,
    network: inv.network,
    k3s: inv.k3s,
    addons: inv.addons,
  };
}

export const error = (p: Omit<RuleProblem, 'severity'>): RuleProblem => ({ ...p, severity: 'error' });
export const warning = (p: Omit<RuleProblem, 'severity'>): RuleProblem => ({ ...p, severity: 'warning' });
