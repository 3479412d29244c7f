import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_ROOT, type Arch } from '../paths.js';
import { runOk } from '../sh.js';

/** Where vm nodes' kernels and images are cached (outside git, next to the root filesystems). */
export const VM_CACHE = join(CACHE_ROOT, 'vm');

/**
 * Debian's own kernel for vm nodes: the cloud flavour (NVMe, ext4 and virtio-pci built in, so no
 * initramfs is needed to find the root disk; virtio-net, vfat and what k3s needs as modules).
 * Taken from Debian's linux-image package with `apt-get download` + `dpkg -x`, never an installer.
 */
export const KERNEL_PACKAGE: Record<Arch, string> = {
  amd64: 'linux-image-6.12-cloud-amd64',
  arm64: 'linux-image-6.12-cloud-arm64',
};

export interface VmKernel {
  arch: Arch;
  /** uname -r, e.g. 6.12.117+deb12-cloud-amd64 */
  release: string;
  vmlinuz: string;
  /** The unpacked package: lib/modules/<release> (no modules.dep: depmod runs in the image). */
  modulesRoot: string;
}

/** The versioned package the meta-package points at (linux-image-6.12.117+deb12-cloud-amd64). */
async function versionedPackage(arch: Arch): Promise<string> {
  const meta = `${KERNEL_PACKAGE[arch]}${arch === 'amd64' ? '' : `:${arch}`}`;
  const out = await runOk('apt-cache', ['depends', meta]);
  const dep = /Depends: (linux-image-[^\s:]+)/.exec(out)?.[1];
  if (!dep) throw new Error(`apt-cache depends ${meta} names no linux-image package (run apt-get update${arch === 'amd64' ? '' : `, dpkg --add-architecture ${arch}`})`);
  return dep;
}

export async function ensureKernel(arch: Arch, log: (m: string) => void = () => undefined): Promise<VmKernel> {
  const pkg = await versionedPackage(arch);
  const dir = join(VM_CACHE, `${pkg}-${arch}`);
  const release = pkg.replace(/^linux-image-/, '');
  const kernel: VmKernel = { arch, release, vmlinuz: join(dir, 'boot', `vmlinuz-${release}`), modulesRoot: dir };
  if (existsSync(join(dir, '.complete'))) return kernel;
  log(`vm kernel: fetching ${pkg} (${arch})`);
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await runOk('apt-get', ['download', `${pkg}${arch === 'amd64' ? '' : `:${arch}`}`], { cwd: tmp });
  const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${tmp}`);
  await runOk('dpkg', ['-x', join(tmp, deb), tmp]);
  await rm(join(tmp, deb));
  await runOk('touch', [join(tmp, '.complete')]);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return kernel;
}

/** Host tools that live in sbin (depmod, mkfs.*, chroot), found even when PATH lacks sbin. */
export function sbin(tool: string): string {
  return ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p)) ?? tool;
}
