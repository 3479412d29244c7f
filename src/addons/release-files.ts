import { DEFAULT_ADDON_VERSIONS } from '../inventory/schema-addons.js';
import type { AddonAsset, AddonInput, ReadinessCheck } from './types.js';

/** Where release files come from unless a mirror with the same layout replaces it. */
export const RELEASE_BASE_URL = 'https://github.com';

/**
 * sha256 of release files kbootstrap has verified, keyed by upstream URL. A file missing here is
 * refused unless the inventory pins its sum (`addons.<name>.checksums`): kbootstrap never trusts a
 * download it cannot check. `scripts/addon-checksums.ts` prints the entries for new versions.
 */
export const RECORDED_SHA256: Readonly<Record<string, string>> = {};

export interface ReleaseFileSpec {
  /** Path after the base URL: knative/serving/releases/download/knative-v1.23.0/serving-crds.yaml */
  path: string;
  /** File name in the manifests dir. */
  fileName: string;
  waitAfter?: ReadinessCheck[];
}

/** The asset for a release file: URL on the mirror (or GitHub), sha256 pinned by the inventory or recorded. */
export function releaseAsset(spec: ReleaseFileSpec, opts: { mirror?: string; checksums?: Record<string, string> }): AddonAsset {
  const upstream = `${RELEASE_BASE_URL}/${spec.path}`;
  const base = (opts.mirror ?? RELEASE_BASE_URL).replace(/\/+$/, '');
  const upstreamName = spec.path.slice(spec.path.lastIndexOf('/') + 1);
  return {
    fileName: spec.fileName,
    url: `${base}/${spec.path}`,
    sha256: opts.checksums?.[upstreamName] ?? RECORDED_SHA256[upstream] ?? '',
    ...(spec.waitAfter ? { waitAfter: spec.waitAfter } : {}),
  };
}

/** The files among `assets` that kbootstrap cannot check (no recorded or pinned sha256), each with what pins it. */
export function uncheckedAssets(addon: string, assets: readonly AddonAsset[]): { message: string; hint: string } | undefined {
  const missing = assets.filter((a) => a.sha256 === '');
  if (missing.length === 0) return undefined;
  const names = missing.map((a) => a.url.slice(a.url.lastIndexOf('/') + 1));
  return {
    message: `kbootstrap records no sha256 for ${missing.map((a) => a.url).join(', ')} (addon ${addon}), so it will not use ${missing.length === 1 ? 'that file' : 'those files'}`,
    hint: `check the files yourself (or run \`npx tsx scripts/addon-checksums.ts\` on a machine with internet access, for the default versions), then pin them in the inventory: addons.${addon}.checksums: { ${names.map((n) => `${n}: <sha256>`).join(', ')} }`,
  };
}

/** Knative's release tag for a version: v1.23.0 → knative-v1.23.0. */
export function knativeTag(version: string): string {
  return version.startsWith('knative-') ? version : `knative-${version.startsWith('v') ? version : `v${version}`}`;
}

/** A Knative addon's settings, version (the inventory's or the default), release tag and asset options. */
export function knativeRelease<N extends 'knative-serving' | 'knative-eventing'>(input: AddonInput, name: N) {
  const settings = input.addons[name];
  if (!settings) throw new Error(`${name} is not in the inventory`);
  const version = settings.version ?? DEFAULT_ADDON_VERSIONS[name];
  return { settings, version, tag: knativeTag(version), opts: { mirror: settings.mirror, checksums: settings.checksums } };
}
