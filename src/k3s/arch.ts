/**
 * The one mapping from a machine name (`uname -m`, Node's process.arch, or a k3s name) to the k3s
 * release architecture. Used by facts/os.ts (validate), k3s/release.ts (downloads) and
 * phases/k3s-install.ts (which binary a node gets), so the three can never disagree.
 *
 * Follows k3s's install.sh (`setup_verify_arch`): amd64/x86_64 → amd64, arm64/aarch64 → arm64,
 * arm* → arm (asset k3s-armhf). armv8l is a 32-bit userland on a 64-bit CPU, so it takes the armhf
 * binary like any arm*. armv6l (Pi Zero/1) matches install.sh's arm* too, but kbootstrap keeps
 * refusing it as before: the armhf build is an ARMv7 build (the validate hint says so too).
 */
export type K3sArch = 'amd64' | 'arm64' | 'arm';

const MACHINES: Record<string, K3sArch> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  x64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm',
  armv8l: 'arm',
  armhf: 'arm',
  arm: 'arm',
};

/** undefined when k3s ships no binary that runs on this machine. */
export function k3sArchOfMachine(machine: string): K3sArch | undefined {
  return Object.hasOwn(MACHINES, machine) ? MACHINES[machine] : undefined;
}

/** How kbootstrap names an architecture to people: the release asset's suffix (armhf for arm). */
export function k3sArchLabel(arch: K3sArch): 'amd64' | 'arm64' | 'armhf' {
  return arch === 'arm' ? 'armhf' : arch;
}
