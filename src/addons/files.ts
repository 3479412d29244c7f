import { createHash } from 'node:crypto';
import { shellQuote } from '../ssh/shell-quote.js';
import type { AddonName } from '../inventory/schema.js';
import type { AddonAsset, AddonManifest, AddonRender, ReadinessCheck } from './types.js';

/**
 * The addon files on the first server: which kbootstrap wrote (an index next to its backups, so a
 * user's own manifests are never touched), what is there now (sha256 of each), and the plan that
 * turns one into the other. Pure: the phase runs the commands built here.
 */
export const ADDON_INDEX_PATH = '/var/lib/kbootstrap/addons.json';
/** Where a removed file is kept while its objects are deleted (the deploy controller must not see it). */
export const REMOVED_DIR = '/var/lib/kbootstrap/removed-addons';

export function manifestsDir(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}/server/manifests`;
}

/** fileName → addon, as recorded by the last run. */
export type AddonIndex = Record<string, AddonName>;

export interface ManifestsState {
  /** sha256 of every *.yaml/*.yml/*.json file in the manifests dir. */
  sums: Map<string, string>;
  index: AddonIndex;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Prints the sums of the manifests dir, a marker, then the index. */
export function buildStateCommand(dir: string): string {
  const d = shellQuote(dir);
  return `cd ${d} 2>/dev/null && for f in *.yaml *.yml *.json; do [ -f "$f" ] && sha256sum -- "$f"; done; echo @@index; cat ${shellQuote(ADDON_INDEX_PATH)} 2>/dev/null; true`;
}

export function parseStateOutput(out: string): ManifestsState {
  const [sumsPart = '', indexPart = ''] = out.split(/^@@index$/m);
  const sums = new Map<string, string>();
  for (const line of sumsPart.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) sums.set(m[2]!, m[1]!);
  }
  let index: AddonIndex = {};
  try {
    const parsed = JSON.parse(indexPart.trim() || '{}') as { files?: AddonIndex };
    index = parsed.files ?? {};
  } catch {
    index = {};
  }
  return { sums, index };
}

export function indexText(index: AddonIndex): string {
  return `${JSON.stringify({ comment: 'addon files kbootstrap wrote into the k3s manifests dir, in the order written', files: index }, null, 2)}\n`;
}

/** One file of an addon, in the order it is written, with what it waits for after. */
export type FileItem =
  | { kind: 'manifest'; addon: AddonName; manifest: AddonManifest; sha256: string; current?: string; waitAfter: ReadinessCheck[] }
  | { kind: 'asset'; addon: AddonName; asset: AddonAsset; current?: string; waitAfter: ReadinessCheck[] };

/** Manifests first (HelmCharts, generated files), then release files in their order. */
export function addonFiles(render: AddonRender, state: ManifestsState): FileItem[] {
  return [
    ...render.manifests.map((m): FileItem => ({ kind: 'manifest', addon: render.name, manifest: m, sha256: sha256Hex(m.content), current: state.sums.get(m.fileName), waitAfter: m.waitAfter ?? [] })),
    ...render.assets.map((a): FileItem => ({ kind: 'asset', addon: render.name, asset: a, current: state.sums.get(a.fileName), waitAfter: a.waitAfter ?? [] })),
  ];
}

export function fileNameOf(item: FileItem): string {
  return item.kind === 'manifest' ? item.manifest.fileName : item.asset.fileName;
}

/** The check that k3s applied the file's content kbootstrap wrote. */
export function appliedCheck(item: FileItem): ReadinessCheck {
  return { kind: 'applied', fileName: fileNameOf(item), sha256: item.kind === 'manifest' ? item.sha256 : item.asset.sha256 };
}

export function isUpToDate(item: FileItem): boolean {
  return item.kind === 'manifest' ? item.current === item.sha256 : item.asset.sha256 !== '' && item.current === item.asset.sha256;
}

/**
 * Files kbootstrap wrote that no enabled addon renders any more, last installed first (an addon's
 * files in the reverse of the order they were written, so cores go before their CRDs). `order` ranks
 * the addons.
 */
export function filesToRemove(index: AddonIndex, wanted: Set<string>, order: AddonName[]): { fileName: string; addon: AddonName }[] {
  const rank = (a: AddonName) => {
    const i = order.indexOf(a);
    return i < 0 ? order.length : i;
  };
  return Object.entries(index)
    .map(([fileName, addon], position) => ({ fileName, addon, position }))
    .filter((f) => !wanted.has(f.fileName))
    .sort((a, b) => rank(b.addon) - rank(a.addon) || b.position - a.position)
    .map(({ fileName, addon }) => ({ fileName, addon }));
}

/**
 * Moves the file out of the manifests dir (so the deploy controller stops re-applying it), deletes
 * what it made (a HelmChart's delete goes through helm-controller's delete Job), then its Addon object.
 */
export function removeFileCommand(dir: string, fileName: string): string {
  const src = shellQuote(`${dir}/${fileName}`);
  const kept = shellQuote(`${REMOVED_DIR}/${fileName}`);
  const stem = fileName.split('.')[0]!;
  return [
    `mkdir -p ${shellQuote(REMOVED_DIR)}`,
    `if [ -f ${src} ]; then mv -f -- ${src} ${kept}; fi`,
    `if [ -f ${kept} ]; then k3s kubectl delete --ignore-not-found --wait=false -f ${kept}; fi`,
    `k3s kubectl delete addon -n kube-system --ignore-not-found ${shellQuote(stem)}`,
    `rm -f -- ${kept}`,
  ].join(' && ');
}
