import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
  /** False when the path does not exist and the position is that of its deepest existing parent. */
  exact: boolean;
}

/**
 * Maps inventory paths to places in the YAML source. For a value: where the value starts; for a key
 * (`at: 'key'`): where the key is written; for a path that does not exist: its deepest parent.
 */
export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  locate(path: readonly (string | number)[], at: 'value' | 'key' = 'value'): Position {
    let node: Node | null | undefined = this.doc.contents as Node | null;
    let fallback = this.offsetOf(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
        if (!pair) return { ...this.position(fallback), exact: false };
        const keyOffset = this.offsetOf(pair.key as Node) ?? fallback;
        if (last && at === 'key') return { ...this.position(keyOffset), exact: true };
        node = pair.value as Node | null;
        // `key:` with nothing after it: point at the key.
        fallback = this.offsetOf(node) ?? keyOffset;
        if (node === null || node === undefined) return { ...this.position(keyOffset), exact: last };
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) return { ...this.position(fallback), exact: false };
        node = item;
        fallback = this.offsetOf(node) ?? fallback;
      } else {
        return { ...this.position(fallback), exact: false };
      }
    }
    return { ...this.position(fallback), exact: true };
  }

  /** The scalar written at a path, e.g. to suggest a fix for a wrong enum value. */
  scalarAt(path: readonly (string | number)[]): unknown {
    const value = this.doc.getIn(path, true);
    return isScalar(value) ? value.value : undefined;
  }

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private offsetOf(node: Node | null | undefined): number | undefined {
    return node?.range?.[0];
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
