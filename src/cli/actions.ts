import { initAction } from '../actions/init.js';
import { kubeconfigAction } from '../actions/kubeconfig.js';
import { planAction } from '../actions/plan.js';
import { removeNodeAction } from '../actions/remove-node.js';
import { resetAction } from '../actions/reset.js';
import { statusAction } from '../actions/status.js';
import { initCommand } from './commands/init.js';
import { schemaAction } from './commands/schema.js';
import { validateAction } from './commands/validate.js';
import type { CliActions } from './program.js';

/** The real actions behind each command. */
export const defaultActions: CliActions = {
  init: (ctx, opts) => initCommand(ctx, opts, { initAction }),
  plan: planAction,
  status: statusAction,
  kubeconfig: kubeconfigAction,
  reset: resetAction,
  removeNode: removeNodeAction,
  validate: validateAction,
  schema: schemaAction,
};
