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

/**
 * apt options for `arch`: none for the host's own architecture; for another one, package lists of
 * that architecture kept under the vm cache (the host's apt configuration is left alone).
 */
async function aptOptions(arch: Arch): Promise<string[]> {
  if ((await runOk('dpkg', ['--print-architecture'])).trim() === arch) return [];
  const dir = join(VM_CACHE, `apt-${arch}`);
  const opts = ['-o', `Dir::State::Lists=${dir}/lists`, '-o', `Dir::Cache=${dir}/cache`, '-o', `APT::Architecture=${arch}`, '-o', `APT::Architectures::=${arch}`];
  if (!existsSync(join(dir, 'lists', 'lock'))) {
    await mkdir(join(dir, 'lists', 'partial'), { recursive: true });
    await mkdir(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
    await runOk('apt-get', [...opts, 'update', '-q']);
  }
  return opts;
}

/** The versioned package the meta-package points at (linux-image-6.12.117+deb12-cloud-amd64). */
async function versionedPackage(arch: Arch, apt: string[]): Promise<string> {
  const out = await runOk('apt-cache', [...apt, 'depends', KERNEL_PACKAGE[arch]]);
  const dep = /Depends: (linux-image-[^\s:]+)/.exec(out)?.[1];
  if (!dep) throw new Error(`apt-cache depends ${KERNEL_PACKAGE[arch]} names no linux-image package (run apt-get update)`);
  return dep;
}

export async function ensureKernel(arch: Arch, log: (m: string) => void = () => undefined): Promise<VmKernel> {
  const apt = await aptOptions(arch);
  const pkg = await versionedPackage(arch, apt);
  const dir = join(VM_CACHE, `${pkg}-${arch}`);
  const release = pkg.replace(/^linux-image-/, '');
  const kernel: VmKernel = { arch, release, vmlinuz: join(dir, 'boot', `vmlinuz-${release}`), modulesRoot: dir };
  if (existsSync(join(dir, '.complete'))) return kernel;
  log(`vm kernel: fetching ${pkg} (${arch})`);
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await runOk('apt-get', [...apt, 'download', pkg], { cwd: tmp });
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
