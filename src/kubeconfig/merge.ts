import { isMap } from 'yaml';
import { entryName, parseKubeconfig, renderKubeconfig, sectionItems, sectionSeq, SECTIONS, styleOf } from './document.js';

export interface MergeResult {
  content: string;
  /** Names replaced in place (they existed) and added. */
  replaced: string[];
  added: string[];
  currentContext?: string;
}

/**
 * Merges `incoming` (one cluster, user and context) into `existing`: entries with the same name are
 * replaced in place, every other entry keeps its text and comments; current-context changes only with
 * setCurrent or when the file had none.
 */
export function mergeKubeconfigDetailed(existing: string | undefined, incoming: string, opts: { setCurrent: boolean }): MergeResult {
  const from = parseKubeconfig(incoming, 'the new kubeconfig');
  const incomingCurrent = from.get('current-context');
  if (existing === undefined || existing.trim() === '') {
    const names = SECTIONS.flatMap((s) => sectionItems(from, s).map((i) => `${s}/${entryName(i)}`));
    return { content: renderKubeconfig(from), replaced: [], added: names, currentContext: str(incomingCurrent) };
  }
  const into = parseKubeconfig(existing, 'the existing kubeconfig');
  const style = styleOf(into, existing);
  if (into.contents === null) into.contents = into.createNode({}) as never;
  const replaced: string[] = [];
  const added: string[] = [];
  for (const section of SECTIONS) {
    for (const item of sectionItems(from, section)) {
      const name = entryName(item);
      const seq = sectionSeq(into, section);
      const node = into.createNode(item.toJSON());
      const index = seq.items.findIndex((existingItem) => nameOf(existingItem) === name);
      if (index >= 0) {
        seq.items[index] = node;
        replaced.push(`${section}/${name}`);
      } else {
        seq.items.push(node);
        added.push(`${section}/${name}`);
      }
    }
  }
  const current = str(into.get('current-context'));
  if ((opts.setCurrent || !current) && str(incomingCurrent)) into.set('current-context', str(incomingCurrent));
  return { content: renderKubeconfig(into, style), replaced, added, currentContext: str(into.get('current-context')) };
}

export function mergeKubeconfig(existing: string | undefined, incoming: string, opts: { setCurrent: boolean }): string {
  return mergeKubeconfigDetailed(existing, incoming, opts).content;
}

function nameOf(item: unknown): string | undefined {
  return isMap(item) ? entryName(item) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
