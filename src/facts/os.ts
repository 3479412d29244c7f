import type { Board } from '../inventory/schema.js';
import { k3sArchLabel, k3sArchOfMachine } from '../k3s/arch.js';
import type { NodeFacts } from './types.js';

/**
 * Pure classifiers of a node's facts. Pi OS 64-bit says ID=debian, and the lab's nodes are plain
 * Debian arm64 without Raspberry Pi packages: a Debian 11/12/13 is treated like Pi OS of the same
 * codename (same network stack and swap handling).
 */

export type OsFamily = 'raspios' | 'debian' | 'ubuntu' | 'unknown';

export interface OsInfo {
  family: OsFamily;
  /** 'buster' | 'bullseye' | 'bookworm' | 'trixie' | 'ubuntu-24.04' | whatever else the node says. */
  release: string;
  supported: boolean;
  /** Why not supported; or, when supported, a caveat worth a warning. */
  why?: string;
}

const DEBIAN_CODENAMES: Record<string, string> = { '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie' };
const TESTED_DEBIAN = new Set(['bullseye', 'bookworm', 'trixie']);
const NEWER_DEBIAN = new Set(['forky', 'duke', 'sid']);

export function detectOs(f: Pick<NodeFacts, 'osRelease' | 'boardModel' | 'files'>): OsInfo {
  const os = f.osRelease;
  const ids = [os.id, ...(os.idLike ?? '').split(/\s+/)].filter(Boolean);
  if (os.id === 'ubuntu') return ubuntu(os.versionId, isRaspberryPi(f.boardModel));
  if (!ids.includes('debian') && os.id !== 'raspbian') {
    return { family: 'unknown', release: os.codename ?? os.versionId ?? os.id, supported: false, why: `${os.prettyName ?? os.id} is not Raspberry Pi OS, Debian or Ubuntu` };
  }
  const family: OsFamily = os.id === 'raspbian' || isRaspberryPi(f.boardModel) || (f.files['/etc/rpi-issue']?.content ?? null) !== null ? 'raspios' : 'debian';
  const release = os.codename ?? DEBIAN_CODENAMES[(os.versionId ?? '').split('.')[0]!] ?? os.versionId ?? 'unknown';
  if (TESTED_DEBIAN.has(release)) return { family, release, supported: true };
  if (release === 'buster') {
    return { family, release, supported: true, why: 'Buster is past its end of life and its iptables (1.8.2) is broken for k3s: kbootstrap relies on k3s\'s bundled iptables there' };
  }
  if (NEWER_DEBIAN.has(release)) return { family, release, supported: true, why: `${release} is newer than the releases kbootstrap was tested on (bullseye, bookworm, trixie)` };
  return { family, release, supported: false, why: `${family === 'raspios' ? 'Raspberry Pi OS' : 'Debian'} ${release} is too old (bullseye or newer is needed)` };
}

function ubuntu(versionId: string | undefined, onPi: boolean): OsInfo {
  const release = `ubuntu-${versionId ?? 'unknown'}`;
  const [major = 0, minor = 0] = (versionId ?? '').split('.').map(Number);
  if (major < 20) return { family: 'ubuntu', release, supported: false, why: `Ubuntu ${versionId ?? '(unknown version)'} is too old (20.04 or newer is needed)` };
  const needsExtraModules = onPi && ((major === 21 && minor >= 10) || major === 22 || (major === 23 && minor <= 10));
  return needsExtraModules
    ? { family: 'ubuntu', release, supported: true, why: `Ubuntu ${versionId} on a Pi needs linux-modules-extra-raspi for flannel's vxlan` }
    : { family: 'ubuntu', release, supported: true };
}

export function isRaspberryPi(boardModel: string | undefined): boolean {
  return /Raspberry Pi/i.test(boardModel ?? '');
}

export type DetectedBoard = 'rpi4' | 'rpi5' | 'rpi-other' | 'other';

export interface BoardInfo {
  detected: DetectedBoard;
  /** Whether the inventory's board kind fits the machine. */
  consistent: boolean;
  why?: string;
}

/** What the node is, from its model string, compared with what the inventory says it is. */
export function detectBoard(f: Pick<NodeFacts, 'boardModel'>, inventoryBoard: Board): BoardInfo {
  const model = f.boardModel ?? '';
  const detected: DetectedBoard = /Raspberry Pi (4|400|Compute Module 4)\b/i.test(model)
    ? 'rpi4'
    : /Raspberry Pi (5|500|Compute Module 5)\b/i.test(model)
      ? 'rpi5'
      : isRaspberryPi(model)
        ? 'rpi-other'
        : 'other';
  const invIsPi = inventoryBoard === 'rpi4' || inventoryBoard === 'rpi5';
  const shown = model || 'no Raspberry Pi model';
  if (invIsPi && detected === 'other') {
    return { detected, consistent: false, why: `the inventory says ${inventoryBoard}, but the node reports ${shown}: cmdline.txt and config.txt may not exist` };
  }
  if (!invIsPi && detected !== 'other') {
    return { detected, consistent: false, why: `the inventory says ${inventoryBoard}, but the node is a ${model}: its boot config (cgroups, gpu_mem) will be left alone` };
  }
  if (invIsPi && detected !== inventoryBoard) {
    return { detected, consistent: false, why: `the inventory says ${inventoryBoard}, but the node is a ${model}` };
  }
  return { detected, consistent: true };
}

/** `uname -m` → the k3s release asset architecture (see k3s/arch.ts); undefined when k3s has no build for it. */
export function k3sArch(f: Pick<NodeFacts, 'arch'>): 'arm64' | 'amd64' | 'armhf' | undefined {
  const arch = k3sArchOfMachine(f.arch);
  return arch ? k3sArchLabel(arch) : undefined;
}
