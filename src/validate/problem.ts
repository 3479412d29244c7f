/** One thing wrong (error: stops the run) or suspicious (warning) on a node, found before any change. */
export interface Problem {
  node: string;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
}

export function formatNodeProblem(p: Problem): string {
  return `${p.severity}: node ${p.node}: ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`;
}
