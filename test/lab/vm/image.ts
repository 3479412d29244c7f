import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { run, runOk } from '../sh.js';
import type { VmKernel } from './kernel.js';
import { sbin, VM_CACHE } from './kernel.js';

/** The FAT boot volume's label, mounted at /boot/firmware like a Pi's first partition. */
export const BOOT_LABEL = 'KBBOOT';
/** The root disk is the first NVMe namespace (NVMe is built into Debian's cloud kernels). */
export const ROOT_DEVICE = '/dev/nvme0n1';
const IMAGE_SIZE = '6G';
/** Bump when what goes into the image changes: a new recipe builds a new image. */
const RECIPE = 2;

/**
 * At first boot (like Pi OS's firstrun from the boot partition), take the node's identity from
 * /boot/firmware/kblab/: the lab's public key for pi and root, pi's password hash; make SSH host keys.
 * Then remove those files from the boot volume.
 */
const FIRSTBOOT_SCRIPT = `#!/bin/sh
set -eu
src=/boot/firmware/kblab
[ -d "$src" ] || exit 0
ssh-keygen -A
if [ -f "$src/authorized_keys" ]; then
  for home in /home/pi /root; do
    mkdir -p "$home/.ssh" && cp "$src/authorized_keys" "$home/.ssh/authorized_keys"
    chmod 700 "$home/.ssh" && chmod 600 "$home/.ssh/authorized_keys"
  done
  chown -R pi:pi /home/pi/.ssh
fi
[ -f "$src/password-hash" ] && usermod -p "$(cat "$src/password-hash")" pi
rm -rf "$src"
sync
`;

const FIRSTBOOT_UNIT = `# kbootstrap lab vm node: identity from the boot volume (see test/lab/vm/image.ts)
[Unit]
DefaultDependencies=no
After=local-fs.target
Before=sysinit.target ssh.socket ssh.service sshd.service
ConditionPathExists=/boot/firmware/kblab

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/kblab-firstboot

[Install]
WantedBy=sysinit.target
`;

const FSTAB = `# kbootstrap lab vm node
${ROOT_DEVICE} / ext4 defaults,noatime 0 1
LABEL=${BOOT_LABEL} /boot/firmware vfat defaults 0 2
`;

/**
 * What a booted kernel needs and a container does not: udev (modules for the NIC, /dev/disk/by-label)
 * and dosfstools (fsck of the FAT boot volume at mount), as Pi OS has them.
 */
const VM_PACKAGES = ['udev', 'dosfstools'];

async function installPackages(root: string, packages: string[]): Promise<void> {
  // The host's resolver for the mirror's name, over the node's own resolv.conf for the time of the install.
  const mounts = [
    ['--bind', '/dev', join(root, 'dev')], ['-t', 'proc', 'proc', join(root, 'proc')], ['-t', 'sysfs', 'sysfs', join(root, 'sys')],
    ['--bind', '/etc/resolv.conf', join(root, 'etc/resolv.conf')],
  ];
  for (const m of mounts) await runOk(sbin('mount'), m);
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
    await runOk(sbin('chroot'), [root, 'apt-get', 'update', '-q', '--error-on=any'], { env });
    await runOk(sbin('chroot'), [root, 'apt-get', 'install', '-y', '-q', '--no-install-recommends', ...packages], { env });
    await runOk(sbin('chroot'), [root, 'apt-get', 'clean'], { env });
  } finally {
    for (const m of mounts.reverse()) await run(sbin('umount'), ['-l', m.at(-1)!]);
  }
}

export function imageKey(rootfs: string, kernel: VmKernel, unmask: readonly string[]): string {
  // The main unit of each unmasked stack is enabled too (see ensureRootImage).
  return createHash('sha256').update(`${RECIPE}\n${basename(rootfs)}\n${kernel.release}\n${unmask.join(' ')}`).digest('hex').slice(0, 12);
}

/**
 * One root image per root filesystem and kernel, shared read-only by every node (each boots on its
 * own qcow2 overlay): the lab's cached root filesystem with the units it masks for containers
 * (`unmask`) unmasked, plus the kernel's modules, an fstab for the root and boot disks and the first-boot unit, made with `mkfs.ext4 -d` (no mount, no loop device).
 */
export async function ensureRootImage(rootfs: string, kernel: VmKernel, unmask: readonly string[], log: (m: string) => void = () => undefined): Promise<string> {
  const image = join(VM_CACHE, `${basename(rootfs)}-${imageKey(rootfs, kernel, unmask)}.ext4`);
  if (existsSync(image)) return image;
  log(`vm image: building ${image}`);
  const staging = `${image}.staging`;
  await rm(staging, { recursive: true, force: true });
  await runOk('cp', ['-a', rootfs, staging]);
  await installPackages(staging, VM_PACKAGES);
  await mkdir(join(staging, 'usr/lib/modules'), { recursive: true });
  await runOk('cp', ['-a', join(kernel.modulesRoot, 'lib/modules', kernel.release), join(staging, 'usr/lib/modules/')]);
  // What the kernel package's postinst does, with the image's own kmod (the host may have none).
  await runOk(sbin('chroot'), [staging, '/usr/sbin/depmod', kernel.release]);
  await writeFile(join(staging, 'etc/fstab'), FSTAB);
  // The network daemons an arm64 container masks (they cannot run under qemu-user) run on a real kernel.
  for (const unit of unmask) await rm(join(staging, 'etc/systemd/system', unit), { force: true });
  for (const unit of unmask.filter((u) => u.endsWith('.service') && !/wait-online|dispatcher/.test(u))) {
    await mkdir(join(staging, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
    await symlink(`/usr/lib/systemd/system/${unit}`, join(staging, 'etc/systemd/system/multi-user.target.wants', unit)).catch(() => undefined);
  }
  // The Pi files of the lab's root filesystem are replaced by the node's own boot volume.
  await rm(join(staging, 'boot/firmware'), { recursive: true, force: true });
  await mkdir(join(staging, 'boot/firmware'));
  await mkdir(join(staging, 'usr/local/sbin'), { recursive: true });
  await writeFile(join(staging, 'usr/local/sbin/kblab-firstboot'), FIRSTBOOT_SCRIPT, { mode: 0o755 });
  await writeFile(join(staging, 'etc/systemd/system/kblab-firstboot.service'), FIRSTBOOT_UNIT);
  await mkdir(join(staging, 'etc/systemd/system/sysinit.target.wants'), { recursive: true });
  await symlink('../kblab-firstboot.service', join(staging, 'etc/systemd/system/sysinit.target.wants/kblab-firstboot.service'));
  const tmp = `${image}.tmp`;
  await rm(tmp, { force: true });
  await runOk(sbin('mkfs.ext4'), ['-q', '-F', '-L', 'kbroot', '-d', staging, tmp, IMAGE_SIZE]);
  await rm(staging, { recursive: true, force: true });
  await rename(tmp, image);
  return image;
}
