/**
 * Raspberry Pi OS Trixie's cloud-init set-up, for the lab's `trixie-cloudinit` variant.
 *
 * The image (pi-gen stage2/04-cloud-init, and Pi OS's own cloud.cfg.d file) points cloud-init's NoCloud
 * datasource at the boot partition (`seedfrom: file:///boot/firmware`), keeps the SSH host keys it
 * already has, and lets netplan hand every device to NetworkManager (/lib/netplan). Raspberry Pi Imager
 * then writes `user-data`, `meta-data` and `network-config` onto that partition for each card
 * (rpi-imager src/customization_generator.cpp): the hostname it was given with `manage_etc_hosts:
 * true`, the user with its password hash and SSH key, and a fresh `instance-id: rpi-imager-<ms>`.
 * The recipe carries the image's files; personalizeNode plays the Imager for each node.
 */

/** Where Pi OS points NoCloud (the boot partition from Bookworm on). */
export const PI_CLOUD_INIT_SEED_DIR = '/boot/firmware';

/** Pi OS's cloud.cfg.d file: NoCloud from the boot partition; host keys left to Pi OS's own service. */
export const PI_CLOUD_CFG = `# Raspberry Pi OS: cloud-init reads the NoCloud seed (user-data, meta-data,
# network-config) from the boot partition (kbootstrap lab emulation).
datasource_list: [ NoCloud, None ]
datasource:
  NoCloud:
    seedfrom: file://${PI_CLOUD_INIT_SEED_DIR}/

# SSH host keys are made once per card by Pi OS itself, not by cloud-init.
ssh_deletekeys: false
ssh_genkeytypes: []
ssh:
  emit_keys_to_console: false
no_ssh_fingerprints: true
`;

/** Trixie's default netplan file: NetworkManager renders every netplan profile (mode 0600). */
export const PI_NETPLAN_NM_ALL = `network:
  version: 2
  renderer: NetworkManager
`;

/** The image's own seed before the Imager customises it: a fixed instance id, nothing to do. */
export const PI_STOCK_META_DATA = `# cloud-init NoCloud meta-data of the image (kbootstrap lab emulation)
dsmode: local
instance_id: rpios-image
`;

export const PI_STOCK_USER_DATA = `#cloud-config
# The image's user-data: nothing set until Raspberry Pi Imager (or the user) fills it in.
`;

export const PI_STOCK_NETWORK_CONFIG = `# The image's network-config: netplan v2, applied by cloud-init on the first boot of an instance.
network:
  version: 2
  ethernets:
    eth0:
      dhcp4: true
      optional: true
`;

export interface ImagerCustomisation {
  hostname: string;
  user: string;
  /** crypt(3) hash, as the Imager stores it. */
  passwordHash: string;
  sshPublicKey: string;
  /** Milliseconds since the epoch, for `instance-id: rpi-imager-<ms>`. */
  writtenAtMs: number;
}

/**
 * The user-data Raspberry Pi Imager writes with a hostname, a user with password and key, and SSH on.
 * Left out: `packages: [avahi-daemon]` and the apt `Check-Date` setting it adds with a hostname (the
 * lab has no internet: cloud-init's package install would only fail), and the timezone and keyboard.
 */
export function imagerUserData(c: ImagerCustomisation): string {
  return [
    '#cloud-config',
    `hostname: ${c.hostname}`,
    'manage_etc_hosts: true',
    'enable_ssh: true',
    'users:',
    `- name: ${c.user}`,
    '  groups: users,adm,dialout,audio,netdev,video,plugdev,cdrom,games,input,gpio,spi,i2c,render,sudo',
    '  shell: /bin/bash',
    '  lock_passwd: false',
    `  passwd: ${c.passwordHash}`,
    '  ssh_authorized_keys:',
    `    - ${c.sshPublicKey.trim()}`,
    '  sudo: ALL=(ALL) NOPASSWD:ALL',
    'ssh_pwauth: true',
    '',
  ].join('\n');
}

export function imagerMetaData(c: Pick<ImagerCustomisation, 'writtenAtMs'>): string {
  return `instance-id: rpi-imager-${c.writtenAtMs}\n`;
}

/** The Imager's network-config for a wired card: eth0 by DHCP (v4 and v6), optional. */
export const IMAGER_NETWORK_CONFIG = `network:
  version: 2
  ethernets:
    eth0:
      dhcp4: true
      dhcp6: true
      optional: true
`;

/** The files personalizeNode writes on a `trixie-cloudinit` node's boot partition, as the Imager would. */
export function imagerSeedFiles(c: ImagerCustomisation): { path: string; content: string }[] {
  return [
    { path: `${PI_CLOUD_INIT_SEED_DIR}/user-data`, content: imagerUserData(c) },
    { path: `${PI_CLOUD_INIT_SEED_DIR}/meta-data`, content: imagerMetaData(c) },
    { path: `${PI_CLOUD_INIT_SEED_DIR}/network-config`, content: IMAGER_NETWORK_CONFIG },
  ];
}
