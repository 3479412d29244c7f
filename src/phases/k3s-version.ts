import { resolveK3sVersion } from '../k3s/binary.js';
import { isK3sVersion } from '../k3s/release.js';
import type { RunContext } from './context.js';
import type { Phase } from './manager.js';

/**
 * Settles which k3s release this run installs, once: a pinned release is used as written; a channel
 * (stable, latest, v1.34) is resolved through update.k3s.io (`KBOOTSTRAP_K3S_CHANNEL_URL` points at a
 * mirror or a test server), so every node of the run gets the same release. `plan` contacts nothing
 * and downloads nothing: it says the channel is resolved at init.
 */
export const k3sVersionPhase: Phase = {
  title: 'k3s version',
  select: (ctx) => (isK3sVersion(ctx.inventory.k3s.version) ? [] : ctx.states.filter((s) => !s.error)),
  async run(ctx) {
    const channel = ctx.inventory.k3s.version;
    if (ctx.dryRun) {
      ctx.log.emit({ kind: 'message', level: 'info', text: `k3s channel ${channel}: resolved at init (plan contacts no server)` });
      return;
    }
    const version = await resolveK3sVersion(channel, { channelBaseUrl: process.env.KBOOTSTRAP_K3S_CHANNEL_URL });
    ctx.shared.k3sVersion = version;
    ctx.log.emit({ kind: 'message', level: 'info', text: `k3s channel ${channel} resolved to ${version}: every node of this run gets it` });
  },
};

/** The release this run installs: the resolved channel, else the inventory's version as written. */
export function k3sVersionOf(ctx: RunContext): string {
  return ctx.shared.k3sVersion ?? ctx.inventory.k3s.version;
}
