import * as z from 'zod';
import { inputFromInventory, type RuleInput } from './rule-types.js';
import { AddonsSchema, BoardSchema, K3sSchema, NetworkSchema, NodeSchema, SshSchema, type Inventory } from './schema.js';

const DROP = Symbol('drop');
type Path = PropertyKey[];

/**
 * Parses `value`, and when that fails, removes what each issue points at and tries again, so that the
 * rules can still look at the rest of a broken inventory (all problems are reported in one run).
 * `clean` tells whether the value passed as written.
 */
export function salvage<S extends z.ZodType>(schema: S, value: unknown, rounds = 4): { data: z.output<S>; clean: boolean } | undefined {
  let current = structuredClone(value);
  for (let round = 0; round < rounds; round++) {
    const result = schema.safeParse(current);
    if (result.success) return { data: result.data, clean: round === 0 };
    let changed = false;
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) changed = remove(current, [...issue.path, key]) || changed;
      else changed = remove(current, issue.path) || changed;
    }
    current = dropMarked(current);
    if (!changed) return undefined;
  }
  return undefined;
}

function remove(root: unknown, path: Path): boolean {
  if (path.length === 0) return false;
  let parent: unknown = root;
  for (const seg of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return false;
    parent = (parent as Record<PropertyKey, unknown>)[seg];
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number' && last < parent.length) {
    parent[last] = DROP;
    return true;
  }
  if (parent !== null && typeof parent === 'object' && !Array.isArray(parent) && Object.hasOwn(parent, last)) {
    delete (parent as Record<PropertyKey, unknown>)[last];
    return true;
  }
  return false;
}

function dropMarked(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== DROP).map(dropMarked);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dropMarked(v)]));
  }
  return value;
}

/** Nodes for the rules: any string will do as name or address, so a node is rarely lost entirely. */
const RuleNodeSchema = NodeSchema.extend({ name: z.string().optional(), address: z.string().optional() });
const ROLES = new Set(['server', 'agent', undefined]);

/** What the rules can check: the whole inventory when valid, else each section that can be saved. */
export function ruleInputFromData(data: unknown, parsed: Inventory | undefined): RuleInput | undefined {
  if (parsed) return inputFromInventory(parsed);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const raw = data as Record<string, unknown>;
  const rawNodes = Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : [];
  const nodes: RuleInput['nodes'] = [];
  let rolesKnown = rawNodes.length > 0;
  let sshKnown = raw.ssh === undefined || SshSchema.safeParse(raw.ssh).success;
  rawNodes.forEach((entry, index) => {
    const saved = salvage(RuleNodeSchema, entry);
    if (saved) nodes.push({ index, node: saved.data });
    const fields = (entry ?? {}) as Record<string, unknown>;
    if (!saved || !ROLES.has(fields.role as string | undefined)) rolesKnown = false;
    if (!saved || (fields.ssh !== undefined && !SshSchema.safeParse(fields.ssh).success)) sshKnown = false;
  });
  return {
    nodes,
    rolesKnown,
    sshKnown,
    board: salvage(BoardSchema.default('rpi4'), raw.board)?.data ?? 'rpi4',
    ssh: salvage(SshSchema, raw.ssh ?? {})?.data ?? {},
    network: salvage(NetworkSchema, raw.network ?? {})?.data ?? {},
    k3s: salvage(K3sSchema, raw.k3s)?.data,
    addons: salvage(AddonsSchema, raw.addons)?.data,
  };
}
