// Builds (or finds) cached root filesystems:
//   tsx test/lab/build-rootfs.ts trixie:arm64 bullseye:amd64 ...   (default: trixie:arm64)
//   tsx test/lab/build-rootfs.ts --for-tests                       every one the lab test files boot, and the vm
//                                                                  nodes' kernels and root images (`npm test` runs this first)
// --jobs N: builds at once (default 2; an arm64 build is mostly one emulated dpkg, i.e. one core).
// The cache lives in /var/cache/kbootstrap-lab (env KBOOTSTRAP_LAB_CACHE).
import { ensureRootfs } from './rootfs.js';
import { ARCHES, VARIANTS, type Arch, type Variant } from './paths.js';
import { labTestRootfs } from './test-rootfs.js';
import { ensureVmBase } from './vm/vm-lab.js';
import { whyNot } from './vm/why-not.js';

const args = process.argv.slice(2);
const forTests = args.includes('--for-tests');
const jobsAt = args.indexOf('--jobs');
const jobs = jobsAt >= 0 ? Number(args[jobsAt + 1]) : 2;
const usage = (m: string): never => {
  console.error(`build-rootfs: ${m}`);
  process.exit(2);
};
if (!Number.isInteger(jobs) || jobs < 1) usage('--jobs wants a whole number >= 1');
const named = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--jobs');

if (forTests && process.getuid?.() !== 0) {
  console.log('build-rootfs: not root, so the lab tests will be skipped; nothing to build');
  process.exit(0);
}
const wanted: { variant: Variant; arch: Arch }[] = forTests ? labTestRootfs() : (named.length ? named : ['trixie:arm64']).map((spec) => {
  const [variant, arch] = spec.split(':') as [Variant, Arch];
  if (!VARIANTS.includes(variant) || !ARCHES.includes(arch)) usage(`bad spec ${spec}: want VARIANT:ARCH (${VARIANTS.join('|')}:${ARCHES.join('|')})`);
  return { variant, arch };
});

const started = Date.now();
const queue = [...wanted];
let failed = 0;
async function worker(): Promise<void> {
  for (let next = queue.shift(); next; next = queue.shift()) {
    const spec = `${next.variant}:${next.arch}`;
    try {
      const info = await ensureRootfs(next.variant, next.arch, (m) => console.log(m));
      console.log(`${spec}: ${info.built ? 'built' : 'cached'} in ${info.seconds.toFixed(1)} s at ${info.path}`);
    } catch (err) {
      failed += 1;
      console.error(`${spec}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, wanted.length) }, worker));
// The vm test files boot Trixie vm nodes of each architecture they can run here: their kernel and root
// image are built now too, so no test hook waits on a build.
if (forTests && !failed) {
  await Promise.all((['amd64', 'arm64'] as const).filter((a) => !whyNot(a)).map(async (a) => {
    const t = Date.now();
    try {
      const { base } = await ensureVmBase(a, (m) => console.log(m));
      console.log(`vm base ${a}: ready in ${((Date.now() - t) / 1000).toFixed(1)} s at ${base}`);
    } catch (err) {
      failed += 1;
      console.error(`vm base ${a}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }));
}
console.log(`build-rootfs: ${wanted.length - failed}/${wanted.length} root filesystems ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
