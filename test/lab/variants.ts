import { createHash } from 'node:crypto';
import type { Arch, Variant } from './paths.js';
import {
  BOARD_MODEL, DPHYS_SWAPFILE_CONF, etcHosts, NETPLAN_CLOUD_INIT_YAML, piCmdline, PI_CONFIG_TXT_BOOKWORM,
  PI_CONFIG_TXT_BULLSEYE, PI_DHCPCD_CONF, PI_OLD_BOOT_STUB, RPI_SWAP_CONF, ZRAM_GENERATOR_CONF,
} from './pi-files.js';
import {
  PI_CLOUD_CFG, PI_NETPLAN_NM_ALL, PI_STOCK_META_DATA, PI_STOCK_NETWORK_CONFIG, PI_STOCK_USER_DATA,
} from './cloud-init-seed.js';

/** Bump when the build steps in rootfs.ts change in a way the recipe data does not show. */
export const RECIPE_VERSION = 4;

export type NetworkStack = 'networkmanager' | 'dhcpcd' | 'netplan';

export interface RecipeFile {
  path: string;
  content: string;
  mode: number;
}

/** Everything that decides what a variant's root filesystem contains (hashed for the cache key). */
export interface RootfsRecipe {
  version: number;
  variant: Variant;
  arch: Arch;
  suite: 'trixie' | 'bookworm' | 'bullseye';
  packages: string[];
  stack: NetworkStack;
  hostname: string;
  board: 'rpi4' | 'vagrant';
  files: RecipeFile[];
  enable: string[];
  /** Units masked: the network daemons that cannot run under qemu-user (arm64). */
  mask: string[];
}

/**
 * Packages of every node: what Pi OS Lite has that kbootstrap or the k3s stand-in touches. Not
 * ca-certificates: nothing in the lab uses TLS to the outside (there is no internet), and its
 * configuration (a few processes per certificate, twice) was two thirds of an arm64 build under qemu.
 */
const COMMON_PACKAGES = [
  'systemd', 'systemd-sysv', 'dbus', 'libpam-systemd', 'openssh-server', 'sudo', 'iproute2', 'iputils-ping',
  'procps', 'kmod', 'curl', 'python3', 'openssl', 'iptables', 'less',
];

const STACK_UNITS: Record<NetworkStack, string[]> = {
  networkmanager: ['NetworkManager.service', 'NetworkManager-wait-online.service', 'NetworkManager-dispatcher.service'],
  dhcpcd: ['dhcpcd.service'],
  netplan: ['systemd-networkd.service', 'systemd-networkd.socket', 'systemd-networkd-wait-online.service'],
};

function suiteOf(variant: Variant): RootfsRecipe['suite'] {
  if (variant === 'netplan' || variant === 'trixie-cloudinit') return 'trixie';
  return variant;
}

export function stackOf(variant: Variant): NetworkStack {
  if (variant === 'bullseye') return 'dhcpcd';
  if (variant === 'netplan') return 'netplan';
  return 'networkmanager';
}

function variantPackages(variant: Variant): string[] {
  switch (variant) {
    case 'trixie': return ['network-manager', 'systemd-zram-generator'];
    case 'bookworm': return ['network-manager', 'dphys-swapfile'];
    case 'bullseye': return ['dhcpcd5', 'dphys-swapfile'];
    case 'netplan': return ['netplan.io'];
    // Debian's cloud-init; netplan.io because cloud-init renders network-config through it, as on Pi OS.
    case 'trixie-cloudinit': return ['network-manager', 'systemd-zram-generator', 'cloud-init', 'netplan.io'];
  }
}

function variantFiles(variant: Variant, hostname: string): RecipeFile[] {
  const f = (path: string, content: string, mode = 0o644): RecipeFile => ({ path, content, mode });
  const files: RecipeFile[] = [
    f('/etc/hostname', `${hostname}\n`),
    f('/etc/hosts', etcHosts(hostname)),
    f('/etc/resolv.conf', '# written by the network stack at boot\n'),
  ];
  if (variant !== 'netplan') {
    files.push(
      f('/etc/kbootstrap-lab/board-model', `${BOARD_MODEL}\n`),
      f('/etc/rpi-issue', `Raspberry Pi reference (kbootstrap lab emulation, ${variant})\n`),
    );
  }
  const swapDropIn = f(
    '/etc/systemd/system/dphys-swapfile.service.d/kbootstrap-lab.conf',
    '# kbootstrap lab: swapon is not permitted in a container; keep the unit active like on a Pi.\n' +
      '[Service]\nExecStart=\nExecStart=/sbin/dphys-swapfile setup\nExecStart=-/sbin/dphys-swapfile swapon\n' +
      'ExecStop=\nExecStop=-/sbin/dphys-swapfile swapoff\n',
  );
  if (variant === 'trixie-cloudinit') {
    files.push(
      f('/etc/cloud/cloud.cfg.d/99_raspberry-pi.cfg', PI_CLOUD_CFG),
      f('/lib/netplan/00-network-manager-all.yaml', PI_NETPLAN_NM_ALL, 0o600),
      // The image's seed; personalizeNode writes the Imager's over it (test/lab/cloud-init-seed.ts).
      f('/boot/firmware/user-data', PI_STOCK_USER_DATA, 0o755),
      f('/boot/firmware/meta-data', PI_STOCK_META_DATA, 0o755),
      f('/boot/firmware/network-config', PI_STOCK_NETWORK_CONFIG, 0o755),
    );
  }
  // trixie-cloudinit is Trixie with cloud-init on top.
  switch (variant === 'trixie-cloudinit' ? 'trixie' : variant) {
    case 'trixie':
      files.push(
        f('/boot/firmware/cmdline.txt', piCmdline('trixie')),
        f('/boot/firmware/config.txt', PI_CONFIG_TXT_BOOKWORM),
        f('/etc/rpi/swap.conf', RPI_SWAP_CONF),
        f('/etc/systemd/zram-generator.conf', ZRAM_GENERATOR_CONF),
      );
      break;
    case 'bookworm':
      files.push(
        f('/boot/firmware/cmdline.txt', piCmdline('bookworm')),
        f('/boot/firmware/config.txt', PI_CONFIG_TXT_BOOKWORM),
        f('/boot/cmdline.txt', PI_OLD_BOOT_STUB('cmdline.txt')),
        f('/boot/config.txt', PI_OLD_BOOT_STUB('config.txt')),
        f('/etc/dphys-swapfile', DPHYS_SWAPFILE_CONF),
        swapDropIn,
      );
      break;
    case 'bullseye':
      files.push(
        f('/boot/cmdline.txt', piCmdline('bullseye')),
        f('/boot/config.txt', PI_CONFIG_TXT_BULLSEYE),
        f('/etc/dhcpcd.conf', PI_DHCPCD_CONF),
        f('/etc/dphys-swapfile', DPHYS_SWAPFILE_CONF),
        swapDropIn,
      );
      break;
    case 'netplan':
      files.push(f('/etc/netplan/50-cloud-init.yaml', NETPLAN_CLOUD_INIT_YAML, 0o600));
      break;
  }
  return files;
}

export function buildRecipe(variant: Variant, arch: Arch): RootfsRecipe {
  const stack = stackOf(variant);
  const hostname = variant === 'netplan' ? 'vagrant' : 'raspberrypi';
  const enable = ['ssh.service', ...(arch === 'amd64' ? STACK_UNITS[stack].filter((u) => !u.includes('wait-online')) : [])];
  return {
    version: RECIPE_VERSION,
    variant,
    arch,
    suite: suiteOf(variant),
    packages: [...COMMON_PACKAGES, ...variantPackages(variant)],
    stack,
    hostname,
    board: variant === 'netplan' ? 'vagrant' : 'rpi4',
    files: variantFiles(variant, hostname),
    enable,
    mask: arch === 'arm64' ? STACK_UNITS[stack] : [],
  };
}

export function recipeHash(recipe: RootfsRecipe): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
}
