import { ExitCode } from '../../errors.js';
import { formatProblem, loadInventory, sortProblems } from '../../inventory/index.js';
import type { Problem } from '../../inventory/problem.js';
import type { CommandContext, ValidateOptions } from '../options.js';

/**
 * `kbootstrap validate`: every problem of the inventory at once, each with file:line:column, in file
 * order. Exit 1 when any is an error (warnings alone pass). With --json, a `result` event carries the
 * problems as data.
 */
export async function validateAction(ctx: CommandContext, _opts: ValidateOptions = {}): Promise<ExitCode> {
  const file = ctx.options.inventory;
  const result = await loadInventory(file, { env: process.env });
  const problems: Problem[] = result.ok ? [] : result.problems;
  const all = sortProblems([...problems, ...result.warnings]);

  // The report is the product of this command: on stdout, each line already says error/warning.
  for (const p of all) ctx.log.emit({ kind: 'message', level: 'info', text: formatProblem(p) });
  const errors = all.filter((p) => p.severity === 'error').length;
  const warnings = all.length - errors;
  const valid = result.ok && errors === 0;

  if (valid && result.ok) {
    const servers = result.inventory.nodes.filter((n) => n.role === 'server').length;
    const nodes = result.inventory.nodes.length;
    ctx.log.emit({
      kind: 'message',
      level: 'info',
      text: `${file}: valid: cluster ${result.inventory.cluster.name}, ${nodes} node${nodes === 1 ? '' : 's'} (${servers} server${servers === 1 ? '' : 's'})${warnings ? `, ${plural(warnings, 'warning')}` : ''}`,
    });
  } else {
    ctx.log.emit({ kind: 'message', level: 'info', text: `${file}: ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}` });
  }
  ctx.log.emit({
    kind: 'result',
    command: 'validate',
    data: { file, valid, errors, warnings, problems: all.map((p) => ({ ...p, text: formatProblem(p) })) },
  });
  return valid ? ExitCode.ok : ExitCode.userError;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
