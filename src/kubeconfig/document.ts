import { Document, isMap, isSeq, parseDocument, type ToStringOptions, type YAMLMap, type YAMLSeq } from 'yaml';
import { UserError } from '../errors.js';

export const SECTIONS = ['clusters', 'users', 'contexts'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * Parses a kubeconfig. A YAML error names the line and column only: the yaml library's own message
 * quotes the offending line, which may be certificate or key data.
 */
export function parseKubeconfig(text: string, what: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    throw new UserError(`${what} is not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}: ${error.code}`, {
      hint: 'fix or move the file; kbootstrap does not overwrite a kubeconfig it cannot read',
    });
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw new UserError(`${what} is not a kubeconfig (no mapping at the top)`);
  return doc;
}

export function sectionItems(doc: Document, section: Section): YAMLMap[] {
  const seq = doc.get(section);
  if (!isSeq(seq)) return [];
  return seq.items.filter((item): item is YAMLMap => isMap(item));
}

export function sectionSeq(doc: Document, section: Section): YAMLSeq {
  const seq = doc.get(section);
  if (isSeq(seq)) return seq;
  const created = doc.createNode([]) as YAMLSeq;
  doc.set(section, created);
  return created;
}

export function entryName(item: YAMLMap): string | undefined {
  const name = item.get('name');
  return typeof name === 'string' ? name : undefined;
}

/** kubectl's own layout: sequences not indented under their key, no line folding. */
const KUBECTL_STYLE: ToStringOptions = { lineWidth: 0, indent: 2, indentSeq: false };
const STYLES: ToStringOptions[] = [
  KUBECTL_STYLE,
  { lineWidth: 0, indent: 2, indentSeq: true },
  { lineWidth: 0, indent: 4, indentSeq: false },
  { lineWidth: 0, indent: 4, indentSeq: true },
];

/**
 * The output options under which the unmodified document reproduces its source exactly, so that
 * entries we do not touch keep their bytes; kubectl's layout when none does.
 */
export function styleOf(doc: Document, source: string): ToStringOptions {
  return STYLES.find((style) => doc.toString(style) === source) ?? KUBECTL_STYLE;
}

export function renderKubeconfig(doc: Document, style: ToStringOptions = KUBECTL_STYLE): string {
  return doc.toString(style);
}
