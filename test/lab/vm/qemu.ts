import type { Arch } from '../paths.js';

/** How one vm node boots (see qemuArgs). */
export interface QemuSpec {
  arch: Arch;
  kernel: string;
  cmdline: string;
  rootOverlay: string;
  bootVolume: string;
  tap: string;
  mac: string;
  memoryMb: number;
  consoleLog: string;
}

/**
 * QEMU's command line for a vm node. Software emulation (TCG): this machine's /dev/kvm cannot
 * accelerate a stock kernel. `-no-reboot` turns a guest reboot into QEMU exiting, so the wrapper can
 * read cmdline.txt again before the next boot, as a Pi's firmware does. Pure, tested by equality.
 */
export function qemuArgs(s: QemuSpec): { command: string; args: string[] } {
  const machine = s.arch === 'amd64'
    ? { command: 'qemu-system-x86_64', args: ['-M', 'q35', '-cpu', 'max'] }
    : { command: 'qemu-system-aarch64', args: ['-M', 'virt', '-cpu', 'max'] };
  return {
    command: machine.command,
    args: [
      ...machine.args,
      '-accel', 'tcg,tb-size=256', '-smp', '1', '-m', String(s.memoryMb),
      '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
      '-serial', `file:${s.consoleLog}`, '-monitor', 'none',
      '-kernel', s.kernel, '-append', s.cmdline,
      // The root disk is the only NVMe controller, so it is always nvme0n1 (image.ts ROOT_DEVICE): NVMe
      // controllers probe asynchronously, and with the boot volume on a second one the arm64 kernel
      // sometimes named that one nvme0 and panicked ("Unable to mount root fs on /dev/nvme0n1").
      // The boot volume is virtio-blk (a module udev loads; mounted by its label, see image.ts FSTAB).
      '-drive', `file=${s.rootOverlay},format=qcow2,if=none,id=root,cache=unsafe`, '-device', 'nvme,drive=root,serial=kbroot',
      '-drive', `file=${s.bootVolume},format=raw,if=none,id=boot`, '-device', 'virtio-blk-pci,drive=boot,serial=kbboot',
      '-netdev', `tap,id=net0,ifname=${s.tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=net0,mac=${s.mac}`,
    ],
  };
}

/** How a QEMU run with -no-reboot ended, from the last kernel lines on the serial console. */
export function endOfRun(consoleTail: string): 'reboot' | 'poweroff' | 'unknown' {
  const restart = consoleTail.lastIndexOf('reboot: Restarting system');
  const powerDown = consoleTail.lastIndexOf('reboot: Power down');
  if (restart < 0 && powerDown < 0) return 'unknown';
  return restart > powerDown ? 'reboot' : 'poweroff';
}

/** A stable locally administered MAC per lab index and node position. */
export function vmMac(index: number, position: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `52:54:00:77:${hex(index)}:${hex(position + 0x40)}`;
}
