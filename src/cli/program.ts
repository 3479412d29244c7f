import { Command, InvalidArgumentError, Option } from 'commander';
import type { ExitCode } from '../errors.js';
import { createContext, type CliIO, type RawGlobalOptions, toGlobalOptions } from './context.js';
import { helpAfter } from './help-texts.js';
import { packageJson } from '../package-root.js';
import type {
  AddonsOptions,
  CommandContext,
  InitOptions,
  KubeconfigOptions,
  PlanOptions,
  RemoveNodeOptions,
  ResetOptions,
  SchemaOptions,
  StatusOptions,
  ValidateOptions,
  ForgetHostKeyOptions,
} from '../actions/options.js';

/** One function per command; the CLI only maps argv to these typed options. */
export interface CliActions {
  init(ctx: CommandContext, opts: InitOptions): Promise<ExitCode>;
  plan(ctx: CommandContext, opts: PlanOptions): Promise<ExitCode>;
  status(ctx: CommandContext, opts: StatusOptions): Promise<ExitCode>;
  kubeconfig(ctx: CommandContext, opts: KubeconfigOptions): Promise<ExitCode>;
  reset(ctx: CommandContext, opts: ResetOptions): Promise<ExitCode>;
  removeNode(ctx: CommandContext, opts: RemoveNodeOptions): Promise<ExitCode>;
  forgetHostKey(ctx: CommandContext, opts: ForgetHostKeyOptions): Promise<ExitCode>;
  validate(ctx: CommandContext, opts: ValidateOptions): Promise<ExitCode>;
  schema(ctx: CommandContext, opts: SchemaOptions): Promise<ExitCode>;
  addons(ctx: CommandContext, opts: AddonsOptions): Promise<ExitCode>;
}

/** Filled in while the program runs, so the top-level catch can log through the same view. */
export interface CliSession {
  ctx?: CommandContext;
  exitCode?: ExitCode;
}

/** The version in kbootstrap's package.json. */
export function packageVersion(): string {
  return packageJson().version ?? '0.0.0';
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64.');
  return n;
}

export function buildProgram(io: CliIO, actions: CliActions, session: CliSession): Command {
  const program = new Command('kbootstrap');
  program
    .description('Turn Raspberry Pis (or VMs) into a k3s cluster over SSH, from one inventory file.')
    .version(packageVersion(), '-V, --version', 'print the kbootstrap version')
    .addOption(new Option('-i, --inventory <file>', 'inventory file').default('kbootstrap.yaml').env('KBOOTSTRAP_INVENTORY'))
    .option('--dry-run', 'show what would change without changing anything')
    .option('-y, --yes', 'never prompt: answer yes to confirmations, fail when something is missing')
    .option('--json', 'print JSON lines on stdout (one event per line) instead of text')
    .option('-v, --verbose', 'show debug output and internal error stacks')
    .option('--no-color', 'no ANSI colours (also: NO_COLOR=1)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showHelpAfterError('(run "kbootstrap --help" for usage)')
    .addHelpText('after', helpAfter.program);

  // Each action runs with a context built from the options of the whole command line.
  const run = <O>(action: (ctx: CommandContext, opts: O) => Promise<ExitCode>, opts: O, cmd: Command) => {
    const options = toGlobalOptions(cmd.optsWithGlobals<RawGlobalOptions>(), io);
    session.ctx = createContext(options, io);
    return action(session.ctx, opts).then((code) => {
      session.exitCode = code;
    });
  };

  program
    .command('init')
    .description('prepare the nodes and install k3s and the addons (asks for a missing or incomplete inventory)')
    .option('--concurrency <n>', 'how many nodes are worked on at once (default: inventory prepare.concurrency)', positiveInt)
    .option('--skip-prepare', 'skip the OS preparation (static IP, hostname, cgroups, swap)')
    .option('--skip-addons', 'install k3s only, no addons')
    .option('--max-unavailable <n>', 'agents already in the cluster drained and rebooted at once (default 1; servers always one at a time)', positiveInt)
    .option('--offline', "skip the addons' image check (registries are not asked; a warning says so)")
    .addHelpText('after', helpAfter.init)
    .action((o: { concurrency?: number; skipPrepare?: boolean; skipAddons?: boolean; maxUnavailable?: number; offline?: boolean }, cmd: Command) =>
      run(actions.init, { concurrency: o.concurrency, skipPrepare: o.skipPrepare === true, skipAddons: o.skipAddons === true, maxUnavailable: o.maxUnavailable, ...(o.offline ? { offline: true } : {}) }, cmd),
    );

  program
    .command('plan')
    .description('show, per node, what init would change, without changing anything')
    .option('--offline', "skip the addons' image check (registries are not asked; a warning says so)")
    .addHelpText('after', helpAfter.plan)
    .action((o: { offline?: boolean }, cmd: Command) => run(actions.plan, o.offline ? { offline: true } : {}, cmd));

  program
    .command('status')
    .description('show each node: reachable, OS, static IP, k3s version and role, readiness')
    .addHelpText('after', helpAfter.status)
    .action((_o: object, cmd: Command) => run(actions.status, {}, cmd));

  program
    .command('kubeconfig')
    .description('fetch the cluster kubeconfig, point it at the LAN address and write or merge it')
    .option('-o, --output <file>', 'write here instead of the inventory kubeconfig.path')
    .option('--merge', 'merge into the existing file (a timestamped backup is kept)')
    .option('--no-merge', 'write a file of its own')
    .option('--set-current', 'make this the current context')
    .option('--context <name>', 'name of the context, cluster and user (default: the cluster name)')
    .addHelpText('after', helpAfter.kubeconfig)
    .action((o: { output?: string; merge?: boolean; setCurrent?: boolean; context?: string }, cmd: Command) =>
      run(actions.kubeconfig, { output: o.output, merge: o.merge, setCurrent: o.setCurrent === true, context: o.context }, cmd),
    );

  program
    .command('reset')
    .description('uninstall k3s from every node and restore every file kbootstrap changed (asks first)')
    .addHelpText('after', helpAfter.reset)
    .action((_o: object, cmd: Command) => run(actions.reset, {}, cmd));

  program
    .command('remove-node')
    .description('drain a node, delete it from the cluster and uninstall k3s on it')
    .argument('<name>', 'node name as in the inventory')
    .option('--no-drain', 'do not drain the node first')
    .addHelpText('after', helpAfter.removeNode)
    .action((name: string, o: { drain?: boolean }, cmd: Command) => run(actions.removeNode, { name, drain: o.drain !== false }, cmd));

  program
    .command('known-hosts')
    .description("manage kbootstrap's known_hosts file")
    .command('forget')
    .description("forget a node's recorded host key (after you reinstalled it), so the next run learns the new one")
    .argument('<node>', 'node name as in the inventory')
    .addHelpText('after', helpAfter.knownHostsForget)
    .action((node: string, _o: object, cmd: Command) => run(actions.forgetHostKey, { node }, cmd));

  program
    .command('validate')
    .description('check the inventory and print every problem with file:line:column')
    .option('--strict', 'also fail on what a run needs from this machine (variables, key and password files)')
    .addHelpText('after', helpAfter.validate)
    .action((o: { strict?: boolean }, cmd: Command) => run(actions.validate, { strict: o.strict === true }, cmd));

  program
    .command('schema')
    .description('print the JSON Schema of the inventory (for editor completion)')
    .addHelpText('after', helpAfter.schema)
    .action((_o: object, cmd: Command) => run(actions.schema, {}, cmd));

  const addons = program.command('addons').description('the serverless addons: what the inventory enables, and what the cluster says of them');
  addons
    .command('list')
    .description('list the addons of the inventory with their versions and what they need (no SSH)')
    .action((_o: object, cmd: Command) => run(actions.addons, { what: 'list' }, cmd));
  addons
    .command('status')
    .description("ask the first server (one round trip) for each addon's files and readiness")
    .action((_o: object, cmd: Command) => run(actions.addons, { what: 'status' }, cmd));

  return program;
}
