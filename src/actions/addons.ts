import type { AddonsOptions, CommandContext } from './options.js';
import { ExitCode } from '../errors.js';
import { buildStateCommand, manifestsDir, parseStateOutput } from '../addons/files.js';
import { addonModule } from '../addons/registry.js';
import { ADDON_LIST_COLUMNS, ADDON_STATUS_COLUMNS, addonListRows, addonStatusRows, statusQueries } from '../addons/status.js';
import type { AddonRender } from '../addons/types.js';
import { K3S_DATA_DIR } from '../k3s/uninstall.js';
import { addonInput } from '../phases/addon-inputs.js';
import { askCluster } from '../phases/addon-wait.js';
import { connectPhase, disconnectPhase } from '../phases/connect.js';
import { firstServer } from '../phases/k3s-cluster.js';
import { runPhases } from '../phases/manager.js';
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
    await runPhases(ctx, [connectPhase]);
    const server = firstServer(ctx);
    if (server.error || !server.transport) return finish(ctx);
    const input = addonInput(ctx, server);
    const renders: AddonRender[] = inv.addons.flatMap((n) => addonModule(n)?.render(input) ?? []);
    const answers = await askCluster(server, statusQueries(renders), buildStateCommand(manifestsDir(K3S_DATA_DIR)));
    const rows = addonStatusRows(renders, parseStateOutput(answers.get(-1)?.output ?? ''), answers);
    cmd.log.emit({ kind: 'table', title: `Addons on ${server.node.name}`, columns: ADDON_STATUS_COLUMNS, rows });
    cmd.log.emit({ kind: 'result', command: 'addons status', data: { addons: rows.map((r) => Object.fromEntries(ADDON_STATUS_COLUMNS.map((c, i) => [c.toLowerCase(), r[i]]))) } });
    await runPhases(ctx, [disconnectPhase]);
    return rows.some((r) => r[4] === 'failed' || r[4] === 'not ready') ? ExitCode.partialFailure : ExitCode.ok;
  } finally {
    await closeAll(ctx);
  }
}
