/** Minimal ANSI styling; `plainStyle` is the identity so views never branch on colour themselves. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);

export const ansiStyle: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const same = (s: string) => s;
export const plainStyle: Style = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

export function styleFor(color: boolean): Style {
  return color ? ansiStyle : plainStyle;
}

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function colorWanted(opts: { flag: boolean; env: Record<string, string | undefined>; isTTY: boolean }): boolean {
  const noColor = opts.env.NO_COLOR;
  return opts.flag && opts.isTTY && (noColor === undefined || noColor === '');
}

// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;?]*[A-Za-z]/g;
export function stripAnsi(s: string): string {
  return s.replace(ANSI_PATTERN, '');
}
