import { join } from 'node:path';

/** Root filesystems built once and reused (outside git). */
export const CACHE_ROOT = process.env.KBOOTSTRAP_LAB_CACHE ?? '/var/cache/kbootstrap-lab';
/** Per-lab node disks (overlay upper dirs). */
export const STATE_ROOT = '/var/lib/kbootstrap-lab';
/** Per-lab runtime state: state.json, control socket, credentials, logs. */
export const RUN_ROOT = '/run/kbootstrap-lab';

/** `trixie-cloudinit`: Trixie as Raspberry Pi Imager leaves it (cloud-init with a NoCloud seed on the boot partition). */
export const VARIANTS = ['trixie', 'bookworm', 'bullseye', 'netplan', 'trixie-cloudinit'] as const;
export type Variant = (typeof VARIANTS)[number];
export const ARCHES = ['arm64', 'amd64'] as const;
export type Arch = (typeof ARCHES)[number];

export interface LabSubnet {
  cidr: string;
  prefix: number;
  gateway: string;
  dns: string;
  /** "10.77.N." */
  base: string;
}

/** Lab index N owns 10.77.N.0/24; the host side of the bridge is .1 (router, DHCP and DNS). */
export function labSubnet(index: number): LabSubnet {
  if (!Number.isInteger(index) || index < 0 || index > 99) throw new Error(`lab index must be 0..99, got ${index}`);
  const base = `10.77.${index}.`;
  return { cidr: `${base}0/24`, prefix: 24, gateway: `${base}1`, dns: `${base}1`, base };
}

export const DHCP_RANGE = { first: 100, last: 199 } as const;

export function defaultLabId(index: number): string {
  return `kblab${index}`;
}

export function labNames(id: string, index: number) {
  const run = join(RUN_ROOT, id);
  return {
    bridge: `kblab${index}`,
    runDir: run,
    stateFile: join(run, 'state.json'),
    controlSocket: join(run, 'control.sock'),
    supervisorLog: join(run, 'supervisor.log'),
    leases: join(run, 'dnsmasq.leases'),
    inventory: join(run, 'inventory.yaml'),
    knownHosts: join(run, 'known_hosts'),
    privateKey: join(run, 'id_ed25519'),
    passwordFile: join(run, 'password'),
    diskDir: join(STATE_ROOT, id),
  };
}

/** Node names are hostnames and part of interface names; keep them short. */
export function nodeNames(id: string, index: number, node: string, position: number) {
  const disk = join(STATE_ROOT, id, node);
  return {
    netns: `kblab${index}-${node}`,
    /** Host end of the veth pair (15 characters max in Linux). */
    vethHost: `kb${index}n${position}`,
    vethPeer: `kb${index}p${position}`,
    machine: `${id}-${node}`,
    diskDir: disk,
    upper: join(disk, 'upper'),
    work: join(disk, 'work'),
    merged: join(disk, 'root'),
    consoleLog: join(RUN_ROOT, id, `${node}.console.log`),
  };
}
