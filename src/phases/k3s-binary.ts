import { dirname } from 'node:path';
import { defaultCacheDir, ensureK3sBinary, verifyAirgapFiles } from '../k3s/binary.js';
import { archOf } from './k3s-install.js';
import { isK3sVersion } from '../k3s/release.js';
import { k3sVersionOf } from './k3s-version.js';
import type { Phase } from './manager.js';

/**
 * Gets each needed architecture's k3s binary once on the workstation (download + checksum, cached),
 * so ten Pis cost one download. With `binary.source: node` each node downloads it itself instead.
 * `KBOOTSTRAP_K3S_RELEASE_URL` points at a mirror of the release layout (an internal mirror, or a test server).
 */
export const k3sBinaryPhase: Phase = {
  title: 'k3s binary',
  select: (ctx) => (ctx.inventory.k3s.binary.source === 'node' ? [] : ctx.states.filter((s) => !s.error && s.facts)),
  async run(ctx, nodes) {
    const { binary } = ctx.inventory.k3s;
    const version = k3sVersionOf(ctx);
    if (binary.source === 'airgap') {
      const files = await verifyAirgapFiles({ path: binary.path, images: binary.images, baseDir: dirname(ctx.inventory.file) });
      for (const s of nodes) ctx.shared.binaries.set(archOf(s), files.binary);
      return;
    }
    // plan leaves a channel unresolved (k3s-version.ts): there is no release to look up or fetch yet.
    if (ctx.dryRun && !isK3sVersion(version)) return;
    const arches = [...new Set(nodes.map(archOf))];
    for (const arch of arches) {
      const got = await ensureK3sBinary(version, arch, {
        cacheDir: binary.cacheDir ?? defaultCacheDir(),
        baseUrl: process.env.KBOOTSTRAP_K3S_RELEASE_URL,
      });
      ctx.shared.binaries.set(arch, got);
      ctx.log.emit({ kind: 'message', level: 'info', text: `k3s ${got.version} for ${arch}: ${got.path} (sha256 ${got.sha256.slice(0, 12)}…)` });
    }
  },
};
