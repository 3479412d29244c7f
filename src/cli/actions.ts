import { initCommand } from './commands/init.js';
import { schemaAction } from './commands/schema.js';
import { validateAction } from './commands/validate.js';
import type { CliActions } from './program.js';

/**
 * The real actions behind each command. The SSH and phase machinery is imported only by the command
 * that needs it, so `--help`, `--version`, `validate` and `schema` start fast and stand alone.
 */
export const defaultActions: CliActions = {
  init: (ctx, opts) => initCommand(ctx, opts, { initAction: async (c, o) => (await import('../actions/init.js')).initAction(c, o) }),
  plan: async (ctx, opts) => (await import('../actions/plan.js')).planAction(ctx, opts),
  status: async (ctx, opts) => (await import('../actions/status.js')).statusAction(ctx, opts),
  kubeconfig: async (ctx, opts) => (await import('../actions/kubeconfig.js')).kubeconfigAction(ctx, opts),
  reset: async (ctx, opts) => (await import('../actions/reset.js')).resetAction(ctx, opts),
  removeNode: async (ctx, opts) => (await import('../actions/remove-node.js')).removeNodeAction(ctx, opts),
  forgetHostKey: async (ctx, opts) => (await import('../actions/known-hosts.js')).forgetHostKeyAction(ctx, opts),
  validate: validateAction,
  schema: schemaAction,
  addons: async (ctx, opts) => (await import('../actions/addons.js')).addonsAction(ctx, opts),
};
