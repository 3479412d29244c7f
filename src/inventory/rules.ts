import { addonRules } from './rules-addons.js';
import { streamAddonRules } from './rules-addons-stream.js';
import { clusterRules } from './rules-cluster.js';
import { k3sArgRules } from './rules-k3s-args.js';
import { networkRules } from './rules-network.js';
import { secretRules } from './rules-secrets.js';
import type { RuleContext, RuleInput, RuleProblem } from './rule-types.js';

export { inputFromInventory } from './rule-types.js';
export type { FileProbe, RuleContext, RuleInput, RuleProblem } from './rule-types.js';

/** Every cross-field rule; errors and warnings together, each with the path of the offending value. */
export function checkRules(input: RuleInput, ctx: RuleContext): RuleProblem[] {
  return [...clusterRules(input), ...networkRules(input), ...addonRules(input), ...streamAddonRules(input), ...secretRules(input, ctx), ...k3sArgRules(input, ctx)];
}
