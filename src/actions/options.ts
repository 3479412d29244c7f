import type { Logger } from '../log/events.js';
import type { StopSignal } from '../phases/interrupt.js';

/** The options every command shares, parsed once from argv and the environment. */
export interface GlobalOptions {
  /** Inventory file as given (-i, $KBOOTSTRAP_INVENTORY, default kbootstrap.yaml). */
  inventory: string;
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  verbose: boolean;
  /** ANSI colours wanted: not --no-color, NO_COLOR unset, stdout a TTY. */
  color: boolean;
  /** stdin and stdout are TTYs and neither --yes nor --json: prompts are allowed. */
  interactive: boolean;
}

/** What an action receives: the global options and the logger (all output goes through it). */
export interface CommandContext {
  options: GlobalOptions;
  log: Logger;
  /** Set by Ctrl-C / SIGTERM (main.ts); absent in tests that never stop. */
  stop?: StopSignal;
  /**
   * The yes/no prompt, handed in by the CLI (cli/context.ts): actions never import a prompt. Absent:
   * nothing can be asked, so only --yes lets a confirmation through (actions/confirm.ts).
   */
  ask?: (question: string) => Promise<boolean>;
}

export interface InitOptions {
  /** Nodes worked on at once; undefined: the inventory's prepare.concurrency. */
  concurrency?: number;
  skipPrepare: boolean;
  skipAddons: boolean;
  /** Skip the addons' image check (with a warning). */
  offline?: boolean;
  /**
   * Values typed at the wizard's prompt for the variables the inventory's secrets come from, by
   * variable name: for this run only, handed over as a value (never put into process.env).
   */
  secretValues?: Record<string, string>;
  /** Agents already in the cluster drained and disrupted at once (default 1). */
  maxUnavailable?: number;
}

export interface PlanOptions {
  /** Skip the addons' image check (with a warning). */
  offline?: boolean;
}
export type StatusOptions = Record<string, never>;
export interface AddonsOptions {
  what: 'list' | 'status';
}
export interface ValidateOptions {
  /** What a run needs from this machine (variables, key files) counts as an error, not a warning. */
  strict?: boolean;
}
export type SchemaOptions = Record<string, never>;

export interface KubeconfigOptions {
  /** Write here instead of the inventory's kubeconfig.path. */
  output?: string;
  /** undefined: the inventory's kubeconfig.merge. */
  merge?: boolean;
  setCurrent: boolean;
  /** Context (and cluster/user) name; undefined: the inventory's. */
  context?: string;
}

export type ResetOptions = Record<string, never>;

export interface ForgetHostKeyOptions {
  node: string;
}

export interface RemoveNodeOptions {
  name: string;
  /** Drain the node before deleting it (default true; --no-drain). */
  drain: boolean;
}
