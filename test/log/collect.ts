/** A writable that keeps what was written, for asserting on a view's output. */
export function collector(isTTY = false): { write(chunk: string): boolean; isTTY: boolean; text(): string; lines(): string[] } {
  const chunks: string[] = [];
  return {
    isTTY,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter((l) => l !== ''),
  };
}
