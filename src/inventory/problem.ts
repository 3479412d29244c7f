/** One thing wrong (or suspicious) in an inventory, with where it is and how to fix it. */
export interface Problem {
  message: string;
  hint?: string;
  /** The inventory file as the user named it. */
  file: string;
  /** 1-based. Absent when the problem has no place in the file (e.g. the file cannot be read). */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Path of the offending value in the inventory, like ['nodes', 2, 'staticIp']. */
  path: (string | number)[];
  /** Name of the node concerned, when there is one. */
  node?: string;
  severity: 'error' | 'warning';
  /**
   * About this machine, not the file: a variable that is not set, a key or password file that is not
   * there (yet). `validate` reports these as warnings (errors with --strict); `init` and `plan` refuse.
   */
  environment?: true;
}

/** `inventory.yaml:12:5: error: node knode1: ... (hint: ...)` */
export function formatProblem(p: Problem): string {
  let where = p.file;
  if (p.line !== undefined) where += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
  const node = p.node ? `node ${p.node}: ` : '';
  const hint = p.hint ? ` (hint: ${p.hint})` : '';
  return `${where}: ${p.severity}: ${node}${p.message}${hint}`;
}

/** File order: by line, then column; problems without a position last. Stable otherwise. */
export function sortProblems(problems: Problem[]): Problem[] {
  const key = (p: Problem) => [p.line ?? Number.MAX_SAFE_INTEGER, p.column ?? 0] as const;
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const [la, ca] = key(a.p);
      const [lb, cb] = key(b.p);
      return la - lb || ca - cb || a.i - b.i;
    })
    .map(({ p }) => p);
}

/** Renders a path for messages: nodes[2].ssh.password */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out || '(top level)';
}
