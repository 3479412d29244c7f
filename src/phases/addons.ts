import { join } from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import {
  addonFiles,
  appliedCheck,
  buildStateCommand,
  fileNameOf,
  filesToRemove,
  indexText,
  isUpToDate,
  manifestsDir,
  parseStateOutput,
  removeFileCommand,
  ADDON_INDEX_PATH,
  type AddonIndex,
  type FileItem,
  type ManifestsState,
} from '../addons/files.js';
import { resourceFitWarnings } from '../addons/fit.js';
import { checkImages, imageCheckError, imageCheckEvents } from '../addons/images/index.js';
import { addonModule } from '../addons/registry.js';
import { uncheckedAssets } from '../addons/release-files.js';
import type { AddonInput, AddonNoteQuery, AddonRender, AddonStep, ReadinessCheck } from '../addons/types.js';
import { ADDON_NAMES, type AddonName } from '../inventory/schema.js';
import { defaultCacheDir, ensureVerifiedDownload } from '../k3s/binary.js';
import { K3S_DATA_DIR } from '../k3s/uninstall.js';
import { unifiedDiff } from '../change/diff.js';
import { shellQuote } from '../ssh/shell-quote.js';
import { addonInput } from './addon-inputs.js';
import { askCluster, waitForChecks } from './addon-wait.js';
import { applyChanges, change } from './change.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';
import { errorMessage } from './errors.js';
import { serverSnapshot } from './server-snapshot.js';
import { firstServer } from './k3s-cluster.js';
import type { Phase } from './manager.js';

const PHASE = 'addons';

/** An addon that did not become ready: the object and the cluster's reason. */
class AddonFailure extends Error {
  constructor(
    readonly addon: AddonName,
    readonly object: string,
    readonly reason: string,
  ) {
    super(`addon ${addon}: ${object}: ${reason}`);
  }
}

/** One round trip: the manifests dir's sums, the index, and every step's probe. */
async function survey(server: NodeState, renders: AddonRender[], dir: string): Promise<{ state: ManifestsState; done: Set<AddonStep> }> {
  const probed = renders.flatMap((r) => r.steps.filter((s) => s.probe));
  // Nothing to ask the cluster: the first server's facts round trip already read the files and the index.
  const snapshot = serverSnapshot(server);
  if (probed.length === 0 && snapshot?.addons && dir === manifestsDir(K3S_DATA_DIR)) return { state: parseStateOutput(snapshot.addons), done: new Set() };
  const answers = await askCluster(server, probed.map((s) => ({ ...s.probe!, jsonpath: s.probe!.jsonpath })), buildStateCommand(dir));
  const state = parseStateOutput(answers.get(-1)?.output ?? '');
  const done = new Set(probed.filter((s, i) => answers.get(i)?.code === 0 && answers.get(i)?.output.trim() === s.probe!.want));
  return { state, done };
}

/** Release files, downloaded once into the cache and checked against the recorded sha256. */
async function fetchAssets(ctx: RunContext, items: FileItem[]): Promise<Map<string, string>> {
  const local = new Map<string, string>();
  const cacheDir = join(ctx.inventory.k3s.binary.cacheDir ?? defaultCacheDir(), 'addons');
  for (const item of items) {
    if (item.kind !== 'asset' || isUpToDate(item)) continue;
    const { asset, addon } = item;
    const unchecked = uncheckedAssets(addon, [asset]);
    if (unchecked) throw new UserError(unchecked.message, { hint: unchecked.hint });
    if (ctx.dryRun) continue;
    const path = join(cacheDir, new URL(asset.url).pathname.replace(/^\/+/, ''));
    await ensureVerifiedDownload({ url: asset.url, path, sha256: asset.sha256, checksumSource: `the sha256 kbootstrap records for addon ${addon}` });
    local.set(asset.fileName, path);
  }
  return local;
}

async function writeFileItem(ctx: RunContext, server: NodeState, dir: string, item: FileItem, local: Map<string, string>): Promise<void> {
  const name = fileNameOf(item);
  const path = `${dir}/${name}`;
  if (item.kind === 'asset') {
    const { asset } = item;
    await applyChanges(ctx, server, [
      { kind: 'upload', description: `upload ${name} (addon ${item.addon}, ${asset.url}, sha256 ${asset.sha256.slice(0, 12)}…) to ${dir}`, localPath: local.get(name) ?? '', remotePath: path, mode: 0o600, sha256: asset.sha256 },
    ]);
    return;
  }
  const { manifest } = item;
  const before = item.current && !manifest.secret ? ((await requireTransport(server).readFile(path)) ?? null) : null;
  const verb = item.current ? 'update' : 'write';
  await applyChanges(ctx, server, [
    { kind: 'file', description: `${verb} ${path} (addon ${item.addon})`, path, content: manifest.content, before, mode: 0o600, secret: manifest.secret },
  ]);
}

function stepCommand(step: AddonStep): string {
  return `k3s kubectl ${step.args.map(shellQuote).join(' ')}`;
}

async function runStep(ctx: RunContext, server: NodeState, addon: AddonName, step: AddonStep): Promise<void> {
  await change(ctx, server, `${step.description} (addon ${addon})`, async () => {
    const r = await requireTransport(server).exec(stepCommand(step), { sudo: true, stdin: step.stdin, description: step.description });
    if (r.code !== 0) throw new AddonFailure(addon, step.description, (r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.code}`);
  });
}

/** Files (each waiting on what it needs before the next), readiness, then the steps. */
async function installAddon(ctx: RunContext, server: NodeState, render: AddonRender, state: ManifestsState, done: Set<AddonStep>, index: AddonIndex): Promise<number> {
  const dir = manifestsDir(K3S_DATA_DIR);
  const timeoutMs = ((ctx.inventory.raw.addons[render.name] as { timeout?: number } | undefined)?.timeout ?? 600) * 1000;
  const items = addonFiles(render, state);
  const local = await fetchAssets(ctx, items);
  const changesBefore = server.changes;
  // Every file written this run must be applied by k3s (its Addon checksum) before its checks count.
  const applied: ReadinessCheck[] = [];
  for (const item of items) {
    index[fileNameOf(item)] = render.name;
    if (isUpToDate(item)) continue;
    await writeFileItem(ctx, server, dir, item, local);
    applied.push(appliedCheck(item));
    if (!ctx.dryRun && item.waitAfter.length > 0) {
      const r = await waitForChecks(server, [...applied, ...item.waitAfter], timeoutMs);
      if (!r.ok) throw new AddonFailure(render.name, r.object, r.reason);
    }
  }
  if (!ctx.dryRun) {
    const r = await waitForChecks(server, [...applied, ...render.readiness], timeoutMs);
    if (!r.ok) throw new AddonFailure(render.name, r.object, r.reason);
  }
  for (const step of render.steps) if (!done.has(step)) await runStep(ctx, server, render.name, step);
  return server.changes - changesBefore;
}

async function removeOrphans(ctx: RunContext, server: NodeState, state: ManifestsState, wanted: Set<string>, index: AddonIndex): Promise<void> {
  const removals = filesToRemove(state.index, wanted, [...ADDON_NAMES]);
  if (removals.length === 0) return;
  const dir = manifestsDir(K3S_DATA_DIR);
  const summary = `addon files no longer in the inventory, to delete with their objects: ${removals.map((r) => `${r.fileName} (${r.addon})`).join(', ')}`;
  if (!ctx.dryRun && !(ctx.confirm ? await ctx.confirm(summary, 'Remove these addons from the cluster?') : false)) {
    ctx.log.emit({ kind: 'message', level: 'warn', node: server.node.name, text: `left in place: ${summary} (run again with --yes to remove them)` });
    return;
  }
  for (const r of removals) {
    await change(ctx, server, `remove ${dir}/${r.fileName} (addon ${r.addon} is no longer in the inventory), then delete its objects`, async () => {
      await requireTransport(server).run(removeFileCommand(dir, r.fileName), { sudo: true, description: `remove the addon file ${r.fileName}` });
    });
    delete index[r.fileName];
  }
}

async function writeIndex(ctx: RunContext, server: NodeState, before: AddonIndex, after: AddonIndex): Promise<void> {
  const old = indexText(before);
  const next = indexText(after);
  if (old === next) return;
  await change(ctx, server, `record the addon files in ${ADDON_INDEX_PATH}`, () => requireTransport(server).writeFile(ADDON_INDEX_PATH, next, { mode: 0o600 }), unifiedDiff(Object.keys(before).length ? old : null, next, ADDON_INDEX_PATH));
}

function renderAll(ctx: RunContext, input: AddonInput): AddonRender[] {
  const renders: AddonRender[] = [];
  for (const name of ctx.inventory.addons) {
    const mod = addonModule(name);
    if (!mod) {
      ctx.log.emit({ kind: 'message', level: 'warn', text: `addon ${name} is not installed by this version of kbootstrap yet` });
      continue;
    }
    renders.push(mod.render(input));
  }
  return renders;
}

/**
 * Installs the enabled addons on the first server, in dependency order, through change(): files into
 * the k3s manifests dir, then a bounded wait on what proves each ready, then its kubectl steps. A failed
 * addon is named with the object and the cluster's reason; the others go on (those needing it are
 * skipped) and the run ends with exit 3. Addon files that left the inventory are removed after a yes.
 */
export async function installAddons(ctx: RunContext, server: NodeState): Promise<void> {
  const input = addonInput(ctx, server);
  const renders = renderAll(ctx, input);
  const fit = resourceFitWarnings(renders, ctx.states.map((s) => ({ name: s.node.name, role: s.node.role, board: s.node.board, memoryMiB: s.facts?.memory.totalMb ?? 0 })));
  for (const text of fit) ctx.log.emit({ kind: 'message', level: 'warn', text: `resource fit: ${text}` });
  await checkAddonImages(ctx, renders, input.cluster.architectures);

  const dir = manifestsDir(K3S_DATA_DIR);
  const { state, done } = await survey(server, renders, dir);
  const index: AddonIndex = { ...state.index };
  const wanted = new Set(renders.flatMap((r) => [...r.manifests, ...r.assets].map((f) => f.fileName)));
  await removeOrphans(ctx, server, state, wanted, index);

  const failed = new Map<AddonName, string>();
  try {
    for (const render of renders) {
      const blocker = addonModule(render.name)!.needs(input).find((n) => failed.has(n));
      if (blocker) {
        failed.set(render.name, `skipped: it needs ${blocker}, which failed`);
        ctx.log.emit({ kind: 'node-step', node: server.node.name, phase: PHASE, status: 'failed', text: `${render.name}: skipped, it needs ${blocker}, which failed` });
        continue;
      }
      try {
        const n = await installAddon(ctx, server, render, state, done, index);
        const status = ctx.dryRun ? (n > 0 ? 'planned' : 'unchanged') : n > 0 ? 'done' : 'unchanged';
        const what = ctx.dryRun ? `${n} change(s) planned` : n > 0 ? `ready (${n} change(s))` : 'ready, nothing to change';
        ctx.log.emit({ kind: 'node-step', node: server.node.name, phase: PHASE, status, text: `${render.name} ${render.version}: ${what}` });
      } catch (err) {
        const text = err instanceof AddonFailure ? `${err.object}: ${err.reason}` : errorMessage(err);
        failed.set(render.name, text);
        ctx.log.emit({ kind: 'node-step', node: server.node.name, phase: PHASE, status: 'failed', text: `${render.name} ${render.version} failed: ${text}` });
      }
    }
  } finally {
    await writeIndex(ctx, server, state.index, index);
  }
  if (!ctx.dryRun) for (const r of renders) if (!failed.has(r.name)) for (const note of r.notes) ctx.log.emit({ kind: 'message', level: 'info', text: `${r.name}: ${note}` });
  if (!ctx.dryRun) for (const r of renders) if (!failed.has(r.name)) for (const q of r.noteQueries ?? []) await emitQueriedNote(ctx, server, r.name, q);
  if (failed.size > 0) {
    server.error = new UserError(`addon(s) failed: ${[...failed].map(([n, why]) => `${n} (${why})`).join('; ')}`, {
      exitCode: ExitCode.partialFailure,
      hint: 'the other addons stay installed; fix the cause and run init again (it continues where it stopped)',
    });
  }
}

/** A note built from a read on the cluster (e.g. OpenWhisk's guest key for the `wsk` line); a failed read only warns. */
async function emitQueriedNote(ctx: RunContext, server: NodeState, addon: AddonName, q: AddonNoteQuery): Promise<void> {
  const r = await requireTransport(server).exec(`k3s kubectl ${q.args.map(shellQuote).join(' ')}`, { sudo: true, description: q.description });
  if (r.code === 0 && r.stdout.trim() !== '') ctx.log.emit({ kind: 'message', level: 'info', text: `${addon}: ${q.note(r.stdout)}` });
  else ctx.log.emit({ kind: 'message', level: 'warn', text: `${addon}: could not ${q.description}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.code}`}` });
}

/** KBOOTSTRAP_IMAGE_MIRRORS: a JSON map of registry → URL asked instead (a site mirror, or a test's loopback registry). */
function imageMirrors(env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  const text = env.KBOOTSTRAP_IMAGE_MIRRORS;
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && Object.values(parsed).every((v) => typeof v === 'string')) return parsed as Record<string, string>;
  } catch {
    // fall through to the error below
  }
  throw new UserError('KBOOTSTRAP_IMAGE_MIRRORS is not a JSON map of registry to URL', { hint: `e.g. KBOOTSTRAP_IMAGE_MIRRORS='{"quay.io":"https://mirror.example:5000"}'` });
}

/**
 * The image check (src/addons/images): before anything is applied, every image the addons will pull is
 * looked up in its registry for the nodes' architectures; the table is shown, and an image lacking an
 * architecture stops the run naming the inventory key that overrides it. --offline skips it with a warning.
 */
async function checkAddonImages(ctx: RunContext, renders: AddonRender[], architectures: string[]): Promise<void> {
  const images = renders.flatMap((r) => r.images);
  if (images.length === 0) return;
  const cacheDir = ctx.inventory.k3s.binary.cacheDir;
  const report = await checkImages(images, architectures, { offline: ctx.offline === true, mirrors: imageMirrors(), ...(cacheDir ? { cacheDir } : {}) });
  for (const e of imageCheckEvents(report)) ctx.log.emit(e);
  const refused = imageCheckError(report);
  if (refused) throw refused;
}

/** The addons phase: the first server only. */
export const addonsPhase: Phase = {
  title: 'Addons',
  select: (ctx) => {
    const server = firstServer(ctx);
    return server.error || !server.transport ? [] : [server];
  },
  async run(ctx, [server]) {
    if (server) await installAddons(ctx, server);
  },
};
