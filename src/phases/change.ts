import { unifiedDiff } from '../change/diff.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { buildSha256Command, parseSha256Output } from '../k3s/node-binary.js';
import type { NodeChange } from '../change/types.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';
import { throwIfStopped } from './interrupt.js';

/**
 * The one path for every change on a node. Under --dry-run it records the change for the plan;
 * otherwise it runs `apply` and reports it. Because plan and run share this path, the plan cannot lie.
 */
export async function change(
  ctx: RunContext,
  state: NodeState,
  description: string,
  apply: () => Promise<void>,
  diff?: string,
): Promise<void> {
  state.changes += 1;
  if (ctx.dryRun) {
    ctx.log.emit({ kind: 'change', node: state.node.name, description, applied: false, diff });
    return;
  }
  throwIfStopped(ctx, description);
  await ctx.holdLock?.();
  throwIfStopped(ctx, description);
  await apply();
  ctx.log.emit({ kind: 'change', node: state.node.name, description, applied: true, diff });
}

/** Applies planned NodeChanges in order through change(). */
export async function applyChanges(ctx: RunContext, state: NodeState, changes: NodeChange[]): Promise<void> {
  for (const c of changes) {
    switch (c.kind) {
      case 'file': {
        const t = () => requireTransport(state);
        if (c.remove) {
          await change(ctx, state, c.description, () => t().run(`rm -f -- ${shellQuote(c.path)}`, { sudo: true }).then(() => undefined));
        } else {
          const diff = c.secret ? undefined : unifiedDiff(c.before, c.content, c.path);
          await change(ctx, state, c.description, () => t().writeFile(c.path, c.content, { mode: c.mode, backup: true }), diff);
        }
        break;
      }
      case 'command':
        await change(ctx, state, c.description, () => requireTransport(state).run(c.command, { sudo: true }).then(() => undefined));
        break;
      case 'upload':
        await change(ctx, state, c.description, async () => {
          const t = requireTransport(state);
          await t.upload(c.localPath, c.remotePath, { mode: c.mode });
          const seen = parseSha256Output(await t.run(buildSha256Command(c.remotePath), { sudo: true, description: `check the sha256 of ${c.remotePath}` }));
          if (seen !== c.sha256) {
            await t.exec(`rm -f -- ${shellQuote(c.remotePath)}`, { sudo: true });
            throw new Error(`${c.remotePath} on ${state.node.name} has sha256 ${seen} after upload, expected ${c.sha256}`);
          }
        });
        break;
    }
  }
}
