import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ExitCode, UserError } from '../../errors.js';
import { formatProblem, parseInventoryText, schemaRefFor, stringifyInventory, writeInventory } from '../../inventory/index.js';
import { inventorySummaryTable, inventorySummaryText } from '../confirm.js';
import { decideInit, type InitDecisionInput } from '../init-decision.js';
import { runInitWizard } from '../init-wizard.js';
import type { CommandContext, InitOptions } from '../options.js';
import { inquirerPrompts, type WizardPrompts } from '../wizard-prompts.js';

export interface InitCommandDeps {
  /** The work itself (src/actions/init.ts): plan, confirm, apply. */
  initAction: (ctx: CommandContext, opts: InitOptions) => Promise<ExitCode>;
  prompts?: WizardPrompts;
  /** Where a typed password is handed over (default process.env, which the loader reads). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `kbootstrap init`: when the inventory is missing or incomplete, ask for it (in a terminal) or stop
 * saying what is missing (--yes, --json, no terminal); write it; then hand over to the init action.
 */
export async function initCommand(ctx: CommandContext, opts: InitOptions, deps: InitCommandDeps): Promise<ExitCode> {
  const file = ctx.options.inventory;
  const decision = decideInit({ file, interactive: ctx.options.interactive, ...(await readInventoryDocument(file)) });
  if (decision.kind === 'fail') throw decision.error;
  if (decision.kind === 'wizard') {
    const written = await askAndWrite(ctx, file, decision.missing, decision.partial, deps);
    if (!written) return ExitCode.userError;
  }
  return deps.initAction(ctx, opts);
}

async function askAndWrite(
  ctx: CommandContext,
  file: string,
  missing: string[],
  partial: Parameters<typeof runInitWizard>[0],
  deps: InitCommandDeps,
): Promise<boolean> {
  const env = deps.env ?? process.env;
  const prompts = deps.prompts ?? inquirerPrompts;
  const say = (text: string) => ctx.log.emit({ kind: 'message', level: 'info', text });
  const what = missing[0] === 'the inventory file itself' ? 'does not exist yet' : `is incomplete: missing ${missing.join(', ')}`;
  say(`${file} ${what}. A few questions, then kbootstrap writes it.`);

  const inventory = await runInitWizard(partial, { prompts, env, addSecret: (s) => ctx.log.addSecret(s), say });
  const text = stringifyInventory(inventory, { schemaRef: schemaRefFor(file) });
  // The same checks as `validate`, on exactly what would be written.
  const check = parseInventoryText(text, file, env);
  if (!check.ok) {
    for (const p of check.problems) ctx.log.emit({ kind: 'message', level: 'error', text: formatProblem(p) });
    throw new UserError('these answers do not make a valid inventory; nothing was written', { hint: `run \`kbootstrap init -i ${file}\` again` });
  }
  for (const w of check.warnings) ctx.log.emit({ kind: 'message', level: 'warn', text: formatProblem(w) });

  ctx.log.emit(inventorySummaryTable(inventory));
  say(inventorySummaryText(inventory));
  const ok = await prompts.confirm({ message: `Write ${file}?`, default: true });
  if (!ok) {
    say('nothing written, nothing changed');
    return false;
  }
  await writeInventory(inventory, file);
  say(`wrote ${file} (check it any time with \`kbootstrap validate -i ${file}\`)`);
  return true;
}

/** What decideInit needs to know about the file. */
export async function readInventoryDocument(file: string): Promise<Pick<InitDecisionInput, 'exists' | 'document' | 'unparsable'>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: { file } });
  }
  try {
    return { exists: true, document: parseYaml(text) as unknown };
  } catch {
    return { exists: true, unparsable: true };
  }
}
