import { buildStateCommand, manifestsDir, parseStateOutput } from '../addons/files.js';
import { addonModule } from '../addons/registry.js';
import { ADDON_STATUS_COLUMNS, addonStatusRows, statusQueries } from '../addons/status.js';
import type { AddonRender } from '../addons/types.js';
import { K3S_DATA_DIR } from '../k3s/uninstall.js';
import { addonInput } from './addon-inputs.js';
import { askCluster } from './addon-wait.js';
import { firstServer } from './k3s-cluster.js';
import type { Phase } from './manager.js';

/**
 * `addons status`: what the first server says about every addon of the inventory (its files, its
 * readiness checks), in one round trip; reads only. The addons that failed or are not ready go to
 * ctx.shared.addonsNotReady for the exit code.
 */
export const addonsStatusPhase: Phase = {
  title: 'Addons status',
  quiet: true,
  select: (ctx) => [firstServer(ctx)].filter((s) => !s.error && s.transport),
  async run(ctx, [server]) {
    const input = addonInput(ctx, server!);
    const renders: AddonRender[] = ctx.inventory.addons.flatMap((n) => addonModule(n)?.render(input) ?? []);
    const answers = await askCluster(server!, statusQueries(renders), buildStateCommand(manifestsDir(K3S_DATA_DIR)));
    const rows = addonStatusRows(renders, parseStateOutput(answers.get(-1)?.output ?? ''), answers);
    ctx.log.emit({ kind: 'table', title: `Addons on ${server!.node.name}`, columns: ADDON_STATUS_COLUMNS, rows });
    ctx.log.emit({ kind: 'result', command: 'addons status', data: { addons: rows.map((r) => Object.fromEntries(ADDON_STATUS_COLUMNS.map((c, i) => [c.toLowerCase(), r[i]]))) } });
    ctx.shared.addonsNotReady = rows.filter((r) => r[4] === 'failed' || r[4] === 'not ready').map((r) => r[0]!);
  },
};
