import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Arch } from '../paths.js';
import { runOk } from '../sh.js';
import { BOOT_LABEL, ROOT_DEVICE } from './image.js';
import { sbin } from './kernel.js';

/**
 * A vm node's boot volume: a small FAT image mounted at /boot/firmware inside, holding cmdline.txt
 * and config.txt like a Pi's first partition. The wrapper reads cmdline.txt with `mtype` before every
 * boot (no mount), so what kbootstrap writes there is the next kernel command line.
 */

/**
 * A Pi-like stock command line for the VM: serial console, root on the NVMe disk, eth0 naming, quiet
 * (KBOOTSTRAP_VM_VERBOSE=1 leaves quiet out, to debug a boot from the console log).
 */
export function stockCmdline(arch: Arch, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): string {
  const quiet = env.KBOOTSTRAP_VM_VERBOSE === '1' ? [] : ['quiet'];
  // Lab artefact: under emulation on a busy host a boot is many times slower than a Pi's, and systemd's
  // default 90 s waits for a device (the boot volume via udev) or a service start can run out.
  const slow = ['systemd.default_device_timeout_sec=900', 'systemd.default_timeout_start_sec=900'];
  return [arch === 'amd64' ? 'console=ttyS0,115200' : 'console=ttyAMA0,115200', `root=${ROOT_DEVICE}`, 'rootfstype=ext4', 'fsck.repair=yes', 'rootwait', 'net.ifnames=0', ...slow, ...quiet, ...extra].join(' ');
}

export const STOCK_CONFIG_TXT = '# kbootstrap lab vm node: read by nothing at boot; kept like a Pi\'s config.txt\narm_64bit=1\n';

export interface BootVolumeFiles {
  cmdline: string;
  configTxt?: string;
  /** First-boot identity (see image.ts): kblab/authorized_keys, kblab/password-hash. */
  identity?: { authorizedKeys: string; passwordHash: string };
}

export async function makeBootVolume(path: string, files: BootVolumeFiles): Promise<void> {
  await rm(path, { force: true });
  await runOk(sbin('mkfs.vfat'), ['-C', '-n', BOOT_LABEL, path, String(32 * 1024)]);
  const dir = await mkdtemp(join(tmpdir(), 'kblab-boot-'));
  try {
    await writeFile(join(dir, 'cmdline.txt'), `${files.cmdline}\n`);
    await writeFile(join(dir, 'config.txt'), files.configTxt ?? STOCK_CONFIG_TXT);
    await runOk('mcopy', ['-i', path, join(dir, 'cmdline.txt'), join(dir, 'config.txt'), '::/']);
    if (files.identity) {
      await writeFile(join(dir, 'authorized_keys'), files.identity.authorizedKeys);
      await writeFile(join(dir, 'password-hash'), `${files.identity.passwordHash}\n`);
      await runOk('mmd', ['-i', path, '::/kblab']);
      await runOk('mcopy', ['-i', path, join(dir, 'authorized_keys'), join(dir, 'password-hash'), '::/kblab/']);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The kernel command line for the next boot: cmdline.txt's first line, as the Pi firmware reads it. */
export async function readCmdline(path: string): Promise<string> {
  const text = await runOk('mtype', ['-i', path, '::/cmdline.txt']);
  return cmdlineFromFile(text);
}

/** cmdline.txt is one line; the firmware ignores what follows the first line break. */
export function cmdlineFromFile(text: string): string {
  return (text.replace(/\r/g, '').split('\n')[0] ?? '').trim();
}
