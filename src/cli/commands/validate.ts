import { ExitCode } from '../../errors.js';
import { formatProblem, loadInventory, sortProblems } from '../../inventory/index.js';
import type { Problem } from '../../inventory/problem.js';
import type { CommandContext, ValidateOptions } from '../../actions/options.js';

export interface ValidateDeps {
  /** The environment secrets' `env` references are looked up in (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `kbootstrap validate`: every problem of the inventory at once, each with file:line:column, in file
 * order. Exit 1 when the file has an error. What a run needs from this machine (a variable, a key or
 * password file) is a warning, an error with --strict: `init` and `plan` refuse to start without it.
 * With --json, a `result` event carries the problems as data. It reads files only; it never connects.
 */
export async function validateAction(ctx: CommandContext, opts: ValidateOptions = {}, deps: ValidateDeps = {}): Promise<ExitCode> {
  const file = ctx.options.inventory;
  const strict = opts.strict === true;
  const result = await loadInventory(file, { env: deps.env ?? process.env, environment: strict ? 'error' : 'warning' });
  const problems: Problem[] = result.ok ? [] : result.problems;
  const all = sortProblems([...problems, ...result.warnings]);

  // The report is the product of this command: on stdout, each line already says error/warning.
  for (const p of all) ctx.log.emit({ kind: 'message', level: 'info', text: formatProblem(p) });
  const errors = all.filter((p) => p.severity === 'error').length;
  const warnings = all.length - errors;
  const machine = all.filter((p) => p.environment && p.severity === 'warning').length;
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
  if (machine > 0) {
    ctx.log.emit({
      kind: 'message',
      level: 'info',
      text: `${machine === 1 ? 'one warning is' : `${machine} warnings are`} about this machine, not the file: init and plan stop until ${machine === 1 ? 'it is' : 'they are'} fixed (validate --strict fails on them)`,
    });
  }
  ctx.log.emit({
    kind: 'result',
    command: 'validate',
    data: { file, valid, strict, errors, warnings, problems: all.map((p) => ({ ...p, text: formatProblem(p) })) },
  });
  return valid ? ExitCode.ok : ExitCode.userError;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
