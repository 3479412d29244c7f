import { activeDependencies, isEnabled } from '../inventory/addons.js';
import { ADDON_NAMES, type Inventory } from '../inventory/schema.js';
import { DEFAULT_ADDON_VERSIONS } from '../inventory/schema-addons.js';
import { addonFiles, filesToRemove, isUpToDate, type ManifestsState } from './files.js';
import type { KubectlAnswer, KubectlQuery } from './kubectl-batch.js';
import { checkQueries, evaluateCheck } from './readiness.js';
import type { AddonRender } from './types.js';

/** `addons list`: what the inventory enables, at which version, needing what. No SSH. */
export function addonListRows(addons: Inventory['addons'], supported: (name: string) => boolean): string[][] {
  return ADDON_NAMES.filter((n) => addons[n] !== undefined).map((name) => {
    const s = addons[name]!;
    const def = (DEFAULT_ADDON_VERSIONS as Partial<Record<string, string>>)[name];
    const version = s.version ? `${s.version} (pinned)` : def ? `${def} (default)` : '(default)';
    const needs = activeDependencies(addons).filter((d) => d.addon === name).map((d) => d.needs);
    const state = !isEnabled(addons, name) ? 'disabled' : supported(name) ? 'enabled' : 'enabled (not installed by this kbootstrap yet)';
    return [name, state, version, needs.join(', ')];
  });
}

/** Every readiness query of the renders, in order, with where each check's answers start. */
export function statusQueries(renders: AddonRender[]): KubectlQuery[] {
  return renders.flatMap((r) => r.readiness.flatMap(checkQueries));
}

/** `addons status`: per addon, its files as the server has them and what the cluster says of it. */
export function addonStatusRows(renders: AddonRender[], state: ManifestsState, answers: Map<number, KubectlAnswer>): string[][] {
  let i = 0;
  const rows = renders.map((r) => {
    const files = addonFiles(r, state);
    const applied = files.filter(isUpToDate).length;
    const states = r.readiness.map((c) => evaluateCheck(c, checkQueries(c).map(() => answers.get(i++))));
    const ready = states.filter((s) => s.state === 'ready').length;
    const bad = states.find((s) => s.state === 'failed') ?? states.find((s) => s.state === 'waiting');
    const detail = !bad ? '' : bad.state === 'failed' ? `${bad.object}: ${bad.reason}` : `${bad.object}: ${bad.why}`;
    const health = files.length > 0 && applied === 0 ? 'not installed' : bad?.state === 'failed' ? 'failed' : ready === states.length ? 'ready' : 'not ready';
    return [r.name, r.version, `${applied}/${files.length}`, `${ready}/${states.length}`, health, detail];
  });
  const leftovers = filesToRemove(state.index, new Set(renders.flatMap((r) => [...r.manifests, ...r.assets].map((f) => f.fileName))), [...ADDON_NAMES]);
  const byAddon = new Map<string, number>();
  for (const f of leftovers) byAddon.set(f.addon, (byAddon.get(f.addon) ?? 0) + 1);
  for (const [addon, n] of byAddon) rows.push([addon, '', `${n} left`, '', 'not in the inventory', 'the next init removes it (after a yes)']);
  return rows;
}

export const ADDON_STATUS_COLUMNS = ['ADDON', 'VERSION', 'FILES', 'CHECKS', 'STATE', 'DETAIL'];
export const ADDON_LIST_COLUMNS = ['ADDON', 'STATE', 'VERSION', 'NEEDS'];
