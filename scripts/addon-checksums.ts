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
import { brokerAssets } from '../src/addons/kafka/broker.js';
import { ADDON_MODULES } from '../src/addons/registry.js';
import { RELEASE_BASE_URL } from '../src/addons/release-files.js';
import { kafkaSettings } from '../src/inventory/schema-addons-stream.js';
import { AddonsSchema } from '../src/inventory/schema.js';

// One amd64 node: the URLs do not depend on the nodes, and with none (or arm64 ones) Kafka's sizing and
// OpenWhisk's amd64-only images refuse the render.
const cluster = { architectures: ['amd64'], serverIp: '192.0.2.1', k3sVersion: 'v1.34.3+k3s3', nodes: [{ name: 'n1', role: 'server' as const, memoryMiB: 8192, labels: {} }], dataDir: '/var/lib/rancher/k3s' };
const addons = AddonsSchema.parse(Object.fromEntries(ADDON_MODULES.map((m) => [m.name, {}])));
const mirror = process.env.KBOOTSTRAP_ADDON_MIRROR_URL?.replace(/\/+$/, '');
const urls = ADDON_MODULES.flatMap((m) => m.render({ addons, cluster }).assets.map((a) => a.url));
// The Kafka broker is off by default (and refused while it has no sums), so its files come from its module.
urls.push(...brokerAssets(kafkaSettings({ knativeBroker: true })).map((a) => a.url));

for (const url of urls) {
  const from = mirror ? url.replace(RELEASE_BASE_URL, mirror) : url;
  const res = await fetch(from);
  if (!res.ok) throw new Error(`${from}: HTTP ${res.status}`);
  const sum = createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
  console.log(`  '${url}': '${sum}',`);
}
