import { missing } from '../../vagrant/ruby-inventory.js';
import type { Arch } from '../paths.js';

/** Why vm nodes of `arch` cannot run here, or undefined. */
export function whyNot(arch: Arch): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (tap devices, image build)';
  const qemu = arch === 'amd64' ? missing('qemu-system-x86_64', 'qemu-system-x86') : missing('qemu-system-aarch64', 'qemu-system-arm');
  return qemu ?? missing('mtype', 'mtools') ?? missing('qemu-img', 'qemu-utils') ?? missing('mkfs.vfat', 'dosfstools');
}
