import { ExitCode } from '../errors.js';
import { addonModule } from '../addons/registry.js';
import { ADDON_LIST_COLUMNS, addonListRows } from '../addons/status.js';
import { firstServer } from '../phases/k3s-cluster.js';
import { addonsStatusPhases } from '../phases/lists.js';
import { runPhases } from '../phases/manager.js';
import type { AddonsOptions, CommandContext } from './options.js';
import { closeAll, createRunContext, finish, loadOrFail } from './session.js';

/**
 * `kbootstrap addons list`: the inventory's addons, versions and needs (no SSH).
 * `kbootstrap addons status`: the same plus what the first server says, in one round trip.
 */
export async function addonsAction(cmd: CommandContext, opts: AddonsOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  if (opts.what === 'list') {
    const rows = addonListRows(inv.raw.addons, (n) => addonModule(n as never) !== undefined);
    cmd.log.emit({ kind: 'table', title: `Addons of ${inv.cluster.name}`, columns: ADDON_LIST_COLUMNS, rows });
    cmd.log.emit({ kind: 'result', command: 'addons list', data: { addons: rows.map((r) => Object.fromEntries(ADDON_LIST_COLUMNS.map((c, i) => [c.toLowerCase(), r[i]]))) } });
    return ExitCode.ok;
  }
  const first = inv.nodes.find((n) => n.role === 'server')!;
  const ctx = createRunContext(cmd, inv, { dryRun: true, only: [first.name] });
  try {
    await runPhases(ctx, addonsStatusPhases);
    if (firstServer(ctx).error) return finish(ctx);
    return ctx.shared.addonsNotReady?.length ? ExitCode.partialFailure : ExitCode.ok;
  } finally {
    await closeAll(ctx);
  }
}
