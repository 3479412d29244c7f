// Builds (or finds) cached root filesystems: `tsx test/lab/build-rootfs.ts trixie:arm64 bullseye:amd64 ...`
import { ensureRootfs } from './rootfs.js';
import { ARCHES, VARIANTS, type Arch, type Variant } from './paths.js';

const specs = process.argv.slice(2);
for (const spec of specs.length ? specs : ['trixie:arm64']) {
  const [variant, arch] = spec.split(':') as [Variant, Arch];
  if (!VARIANTS.includes(variant) || !ARCHES.includes(arch)) throw new Error(`bad spec ${spec}: want VARIANT:ARCH`);
  const info = await ensureRootfs(variant, arch, (m) => console.log(m));
  console.log(`${spec}: ${info.built ? 'built' : 'cached'} in ${info.seconds.toFixed(1)} s at ${info.path}`);
}
