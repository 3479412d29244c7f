import { addonModule } from '../addons/registry.js';
import { uncheckedAssets } from '../addons/release-files.js';
import { UserError } from '../errors.js';
import { addonInput } from './addon-inputs.js';
import { firstServer } from './k3s-cluster.js';
import type { Phase } from './manager.js';

/**
 * Renders every enabled addon against the facts gathered, before the nodes are touched: an addon that
 * refuses this cluster (OpenWhisk's amd64-only images on arm64 nodes, more Kafka nodes than machines, a
 * release file with no sha256 to check it against)
 * stops `plan` and `init` here, with nothing changed. Rendering is pure; the addons phase renders again.
 */
export const addonsPreflightPhase: Phase = {
  title: 'Check addons',
  select: (ctx) => {
    const server = firstServer(ctx);
    return ctx.inventory.addons.length === 0 || server.error || !server.transport ? [] : [server];
  },
  async run(ctx, [server]) {
    if (!server) return;
    const input = addonInput(ctx, server);
    const refused: string[] = [];
    const hints: string[] = [];
    for (const name of ctx.inventory.addons) {
      try {
        // A release file it could not check would stop the addons phase after k3s is in: refused here instead.
        const unchecked = uncheckedAssets(name, addonModule(name)?.render(input).assets ?? []);
        if (unchecked) throw new UserError(unchecked.message, { hint: unchecked.hint });
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        refused.push(`${name}: ${err.message}`);
        if (err.hint) hints.push(err.hint);
      }
    }
    if (refused.length > 0) {
      throw new UserError(`addon(s) refused for this cluster before any change; nothing was changed:\n${refused.join('\n')}`, { hint: hints.join('; ') || undefined });
    }
  },
};
