import { K3S_VERSION_PATTERN } from '../inventory/schema.js';
import { UserError } from '../errors.js';
import { k3sArchOfMachine, type K3sArch } from './arch.js';

export const K3S_RELEASE_BASE_URL = 'https://github.com/k3s-io/k3s/releases/download';
export const K3S_CHANNEL_BASE_URL = 'https://update.k3s.io/v1-release/channels';

export type { K3sArch } from './arch.js';

/** `uname -m` (or Node's process.arch, or "armhf") → k3s architecture; refuses a machine k3s does not run on. */
export function k3sArchOf(machine: string): K3sArch {
  const arch = k3sArchOfMachine(machine);
  if (!arch) throw new UserError(`k3s has no release for the architecture "${machine}"`, { hint: 'k3s ships amd64, arm64 and armhf (ARMv7) binaries' });
  return arch;
}

/** Release asset of the binary: k3s (amd64), k3s-arm64, k3s-armhf. */
export function k3sAssetName(arch: K3sArch): string {
  return arch === 'amd64' ? 'k3s' : arch === 'arm64' ? 'k3s-arm64' : 'k3s-armhf';
}

export function k3sChecksumFileName(arch: K3sArch): string {
  return `sha256sum-${arch}.txt`;
}

/** `<base>/<version with + as %2B>/<file>` */
export function k3sReleaseUrl(version: string, file: string, baseUrl = K3S_RELEASE_BASE_URL): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(version)}/${file}`;
}

export function isK3sVersion(value: string): boolean {
  return K3S_VERSION_PATTERN.test(value);
}

/** Finds the asset's hash in a sha256sum file (`<hash>  <name>` or `<hash> *<name>` per line). */
export function parseChecksumFile(text: string, asset: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m && (m[2] === asset || m[2]!.endsWith(`/${asset}`))) return m[1]!.toLowerCase();
  }
  return undefined;
}

/** The version a channel redirect points at: Location ends in /releases/tag/<version>. */
export function versionFromChannelLocation(location: string): string | undefined {
  const last = location.replace(/\/+$/, '').split('/').pop();
  if (!last) return undefined;
  const version = decodeURIComponent(last);
  return isK3sVersion(version) ? version : undefined;
}
