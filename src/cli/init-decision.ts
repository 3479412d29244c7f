import { UserError } from '../errors.js';
import type { InventoryInput } from '../inventory/schema.js';

/**
 * Does `init` need to ask questions first? Pure: the caller reads the file. A missing file or one
 * without the keys no default can fill (cluster name, nodes with name and address) is "incomplete";
 * anything else goes on to the loader, which reports mistakes with their line and column.
 */
export type InitDecision =
  | { kind: 'proceed' }
  | { kind: 'wizard'; missing: string[]; partial: Partial<InventoryInput> }
  | { kind: 'fail'; missing: string[]; error: UserError };

export interface InitDecisionInput {
  file: string;
  exists: boolean;
  /** The parsed YAML document, when the file exists and parses. */
  document?: unknown;
  /** The file exists but is not YAML: leave it to the loader's messages. */
  unparsable?: boolean;
  /** The file carries the wizard's mark: an earlier init was stopped before its last question. */
  unfinished?: boolean;
  interactive: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFilled = (v: unknown) => (typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null);

/** The keys that have no default and are not there, as paths like `nodes[1].address`. */
export function missingFields(document: unknown): string[] {
  const doc = isRecord(document) ? document : {};
  const missing: string[] = [];
  const cluster = isRecord(doc.cluster) ? doc.cluster : {};
  if (!isFilled(cluster.name)) missing.push('cluster.name');
  if (!Array.isArray(doc.nodes) || doc.nodes.length === 0) {
    missing.push('nodes (at least one, each with name and address)');
    return missing;
  }
  doc.nodes.forEach((node: unknown, i: number) => {
    const n = isRecord(node) ? node : {};
    if (!isFilled(n.name)) missing.push(`nodes[${i}].name`);
    if (!isFilled(n.address)) missing.push(`nodes[${i}].address`);
  });
  return missing;
}

/** The comment line the wizard leaves in a file it saved before its last question. */
export const UNFINISHED_MARK = 'kbootstrap init: unfinished, the next `kbootstrap init` asks the rest';

export function decideInit(input: InitDecisionInput): InitDecision {
  if (input.exists && input.unparsable) return { kind: 'proceed' };
  const missing = input.exists ? missingFields(input.document) : ['the inventory file itself'];
  // A saved but unfinished file is valid: without a terminal it is used as it is, in one the questions go on.
  if (missing.length === 0 && input.unfinished && input.interactive) missing.push('the answers an earlier init did not get to');
  if (missing.length === 0) return { kind: 'proceed' };
  if (input.interactive) {
    const partial = (input.exists && isRecord(input.document) ? input.document : {}) as Partial<InventoryInput>;
    return { kind: 'wizard', missing, partial };
  }
  const what = input.exists ? `${input.file} is incomplete: missing ${missing.join(', ')}` : `no inventory: ${input.file} does not exist`;
  return {
    kind: 'fail',
    missing,
    error: new UserError(what, {
      where: input.exists ? { file: input.file } : undefined,
      hint:
        `run \`kbootstrap init -i ${input.file}\` in a terminal (without --yes/--json) to answer the questions, ` +
        `or write the file yourself, starting from an example in inventories/ (check it with \`kbootstrap validate -i ${input.file}\`)`,
    }),
  };
}
