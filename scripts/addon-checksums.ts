/**
 * Prints the sha256 of every release file the addons download at their default versions, as entries
 * for RECORDED_SHA256 in src/addons/release-files.ts. Run it on a machine with internet access after
 * changing a default version, check the files, and paste the lines:
 *
 *   npx tsx scripts/addon-checksums.ts
 *
 * KBOOTSTRAP_ADDON_MIRROR_URL downloads from a mirror of the same layout instead (keys stay upstream URLs).
 */
import { createHash } from 'node:crypto';
import { ADDON_MODULES } from '../src/addons/registry.js';
import { RELEASE_BASE_URL } from '../src/addons/release-files.js';
import { AddonsSchema } from '../src/inventory/schema.js';

const cluster = { architectures: ['arm64'], serverIp: '192.0.2.1', k3sVersion: 'v1.34.3+k3s3', nodes: [], dataDir: '/var/lib/rancher/k3s' };
const addons = AddonsSchema.parse(Object.fromEntries(ADDON_MODULES.map((m) => [m.name, {}])));
const mirror = process.env.KBOOTSTRAP_ADDON_MIRROR_URL?.replace(/\/+$/, '');
const urls = ADDON_MODULES.flatMap((m) => m.render({ addons, cluster }).assets.map((a) => a.url));

for (const url of urls) {
  const from = mirror ? url.replace(RELEASE_BASE_URL, mirror) : url;
  const res = await fetch(from);
  if (!res.ok) throw new Error(`${from}: HTTP ${res.status}`);
  const sum = createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
  console.log(`  '${url}': '${sum}',`);
}
