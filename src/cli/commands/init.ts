import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ExitCode, UserError } from '../../errors.js';
import { formatProblem, parseInventoryText, schemaRefFor, stringifyInventory, writeInventoryText, type InventoryInput, type Problem } from '../../inventory/index.js';
import { inventorySummaryTable, inventorySummaryText } from '../confirm.js';
import { decideInit, UNFINISHED_MARK, type InitDecisionInput } from '../init-decision.js';
import { runInitWizard } from '../init-wizard.js';
import type { CommandContext, InitOptions } from '../../actions/options.js';
import { inquirerPrompts, type WizardPrompts } from '../wizard-prompts.js';
import { readWorkstationNetwork, type NetworkProposal } from '../workstation-network.js';
import { unsetSecretVariables } from './init-environment.js';

export interface InitCommandDeps {
  /** The work itself (src/actions/init.ts): plan, confirm, apply. */
  initAction: (ctx: CommandContext, opts: InitOptions) => Promise<ExitCode>;
  prompts?: WizardPrompts;
  /** The environment secret variables are looked up in (default process.env); never written to. */
  env?: NodeJS.ProcessEnv;
  /** The workstation's network, proposed to the nodes (default: read from /proc/net/route and /etc/resolv.conf). */
  readNetwork?: () => NetworkProposal | undefined;
}

/**
 * `kbootstrap init`: when the inventory is missing or incomplete, ask for it (in a terminal) or stop
 * saying what is missing (--yes, --json, no terminal); then hand over to the init action.
 */
export async function initCommand(ctx: CommandContext, opts: InitOptions, deps: InitCommandDeps): Promise<ExitCode> {
  const file = ctx.options.inventory;
  const decision = decideInit({ file, interactive: ctx.options.interactive, ...(await readInventoryDocument(file)) });
  if (decision.kind === 'fail') throw decision.error;
  if (decision.kind === 'wizard') {
    const answered = await askAndSave(ctx, file, decision.missing, decision.partial, deps);
    if (!answered) return ExitCode.userError;
    return deps.initAction(ctx, { ...opts, secretValues: answered.secretValues });
  }
  return deps.initAction(ctx, opts);
}

/**
 * The wizard, saving the answers in `file` each time they make a valid inventory (secrets as references
 * only), so nothing typed is lost. Then what a run needs from this machine: a variable that is not set or
 * a key file that is not there is reported with what to do, and the user picks how to go on.
 */
async function askAndSave(
  ctx: CommandContext,
  file: string,
  missing: string[],
  partial: Partial<InventoryInput>,
  deps: InitCommandDeps,
): Promise<{ secretValues: Record<string, string> } | undefined> {
  const env = deps.env ?? process.env;
  const prompts = deps.prompts ?? inquirerPrompts;
  const say = (text: string) => ctx.log.emit({ kind: 'message', level: 'info', text });
  const what = missing[0] === 'the inventory file itself' ? 'does not exist yet' : `is incomplete: missing ${missing.join(', ')}`;
  say(`${file} ${what}. A few questions; the answers are saved in it as soon as they make a valid inventory.`);

  let saved = false;
  const save = async (draft: InventoryInput, finished: boolean): Promise<Problem[]> => {
    let text: string;
    try {
      text = stringifyInventory(draft, { schemaRef: schemaRefFor(file), ...(finished ? {} : { comment: UNFINISHED_MARK }) });
    } catch (err) {
      // A draft that is not an inventory yet waits for more answers; the finished one must be one.
      if (finished) throw err;
      return [];
    }
    // The file's own checks, as `validate` runs them: what this machine lacks does not hold the answers back.
    const check = parseInventoryText(text, file, env, { environment: 'warning' });
    if (!check.ok) return check.problems;
    await writeInventoryText(text, file);
    if (!saved) say(`answers saved in ${file}`);
    saved = true;
    return [];
  };

  const secretValues: Record<string, string> = {};
  const inventory = await runInitWizard(partial, {
    prompts,
    env,
    say,
    network: (deps.readNetwork ?? readWorkstationNetwork)(),
    addSecret: (s) => ctx.log.addSecret(s),
    typedSecret: (variable, value) => {
      secretValues[variable] = value;
    },
    onDraft: async (draft) => void (await save(draft, false)),
  });
  const kept = () => (saved ? `${file} keeps the last answers that did` : 'nothing was written');
  const problems = await save(inventory, true).catch((err: unknown) => {
    if (!(err instanceof UserError)) throw err;
    throw new UserError(`${err.message}; ${kept()}`, { hint: `run \`kbootstrap init -i ${file}\` again` });
  });
  if (problems.length > 0) {
    for (const p of problems) ctx.log.emit({ kind: 'message', level: 'error', text: formatProblem(p) });
    throw new UserError(`these answers do not make a valid inventory; ${kept()}`, { hint: `run \`kbootstrap init -i ${file}\` again` });
  }
  ctx.log.emit(inventorySummaryTable(inventory));
  say(inventorySummaryText(inventory));
  say(`wrote ${file} (check it any time with \`kbootstrap validate -i ${file}\`)`);
  return (await readyToRun(ctx, file, inventory, env, secretValues, prompts)) ? { secretValues } : undefined;
}

type NextStep = 'type' | 'again' | 'stop';

/** Until this machine has what the run needs (or the user stops): report it, offer to type a password, check again, or stop. */
async function readyToRun(
  ctx: CommandContext,
  file: string,
  inventory: InventoryInput,
  env: NodeJS.ProcessEnv,
  secretValues: Record<string, string>,
  prompts: WizardPrompts,
): Promise<boolean> {
  const text = stringifyInventory(inventory, { schemaRef: schemaRefFor(file) });
  for (;;) {
    const check = parseInventoryText(text, file, { ...env, ...secretValues });
    const blocking = check.ok ? [] : check.problems.filter((p) => p.environment);
    if (blocking.length === 0) return true;
    for (const p of blocking) ctx.log.emit({ kind: 'message', level: 'warn', text: formatProblem(p) });
    const unset = unsetSecretVariables(inventory, { ...env, ...secretValues });
    const next = await prompts.select<NextStep>({
      message: `${file} is saved. The run needs ${blocking.length === 1 ? 'this' : 'these'} first: what now?`,
      default: unset.length > 0 ? 'type' : 'again',
      choices: [
        ...(unset.length > 0 ? [{ name: `type ${unset.map((u) => u.what).join(' and ')} now (for this run only, never saved)`, value: 'type' as const }] : []),
        { name: 'check again (after making the file in another terminal)', value: 'again' },
        { name: 'stop here (the inventory is kept)', value: 'stop' },
      ],
    });
    if (next === 'stop') {
      const exports = unset.map((u) => `export ${u.variable}=...`);
      ctx.log.emit({
        kind: 'message',
        level: 'info',
        text: `stopped before the run; nothing changed on the nodes. When ready: ${[...exports, `kbootstrap init -i ${file}`].join(' && ')}`,
      });
      return false;
    }
    if (next === 'type') {
      for (const u of unset) {
        const value = await prompts.password({ message: `${u.what} (${u.variable})`, mask: '*', validate: (v) => (v.trim() === '' ? `needed: ${u.what}` : true) });
        ctx.log.addSecret(value);
        secretValues[u.variable] = value;
      }
    }
  }
}

/** What decideInit needs to know about the file. */
export async function readInventoryDocument(file: string): Promise<Pick<InitDecisionInput, 'exists' | 'document' | 'unparsable' | 'unfinished'>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: { file } });
  }
  const unfinished = text.split('\n').some((line) => line.trim() === `# ${UNFINISHED_MARK}`);
  try {
    return { exists: true, document: parseYaml(text) as unknown, unfinished };
  } catch {
    return { exists: true, unparsable: true };
  }
}
