import { detectBoard, detectOs, isRaspberryPi, k3sArch } from '../facts/os.js';
import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import { preparationProblems } from '../os/plan.js';
import type { Problem } from './problem.js';

/** Thresholds, in MB. k3s documents 512 MB for an agent and 1 GB+ for a server. */
export const LIMITS = { minMemoryMb: 512, minServerMemoryMb: 1024, minVarLibFreeMb: 2048 } as const;

/** Every check that needs one node's facts alone. */
export function nodeProblems(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory): Problem[] {
  const problems: Problem[] = [];
  const add = (severity: Problem['severity'], message: string, hint?: string) =>
    problems.push(hint ? { node: node.name, severity, message, hint } : { node: node.name, severity, message });

  if (!facts.sudoOk) {
    add('error', 'the facts did not run as root: sudo does not work for this user', 'allow the SSH user to use sudo (sudo group), or set ssh.sudoPassword');
  }

  const os = detectOs(facts);
  if (!os.supported) add('error', `unsupported operating system: ${os.why}`, 'flash Raspberry Pi OS Lite 64-bit (Trixie or Bookworm), Debian 12/13 or Ubuntu Server 24.04');
  else if (os.why) add('warning', os.why);

  const arch = k3sArch(facts);
  if (!arch) add('error', `k3s has no build for the architecture ${facts.arch || '(unknown)'}`, 'k3s runs on arm64, amd64 and armhf (ARMv7); use a 64-bit OS image on a Pi');
  else if (arch === 'armhf') add('warning', `${facts.arch} is a 32-bit system: k3s runs, but several addon images have no 32-bit build`, 'flash the 64-bit OS image (arm64) if the board supports it');

  const mem = facts.memory.totalMb;
  if (mem < LIMITS.minMemoryMb) add('error', `only ${mem} MB of memory: k3s needs at least ${LIMITS.minMemoryMb} MB`);
  else if (node.role === 'server' && mem < LIMITS.minServerMemoryMb) add('warning', `only ${mem} MB of memory for a k3s server (1 GB or more recommended)`, 'make a board with more memory the server');

  if (facts.disk.varLibFreeMb < LIMITS.minVarLibFreeMb) {
    add('error', `only ${facts.disk.varLibFreeMb} MB free on /var/lib: k3s needs at least ${LIMITS.minVarLibFreeMb} MB for images and data`, 'free some space or use a larger SD card');
  }

  if (!facts.interfaces.some((i) => i.name === node.interface)) {
    const names = facts.interfaces.filter((i) => i.name !== 'lo').map((i) => i.name);
    add('error', `the network interface ${node.interface} does not exist on the node`, `set network.interface to one of: ${names.join(', ') || '(none found)'}`);
  }

  problems.push(...cgroupProblems(node, facts, inv));

  const board = detectBoard(facts, node.board);
  if (!board.consistent && board.why) add('warning', board.why, 'set the node\'s board in the inventory (rpi4, rpi5, vagrant, generic)');

  problems.push(...networkStackProblems(node, facts));
  return problems;
}

/** k3s needs the memory cgroup; kbootstrap can only turn it on through a Pi's cmdline.txt. */
function cgroupProblems(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory): Problem[] {
  if (facts.cgroup.memoryEnabled) return [];
  const isPi = (node.board === 'rpi4' || node.board === 'rpi5') && (isRaspberryPi(facts.boardModel) || facts.boot !== undefined);
  const where = `cgroup v${facts.cgroup.version}`;
  if (!isPi) {
    return [{
      node: node.name, severity: 'error',
      message: `the memory cgroup controller is not available (${where}) and kbootstrap only enables it on Raspberry Pi boards`,
      hint: 'enable it in the kernel command line of this machine (cgroup_enable=memory) and reboot',
    }];
  }
  if (!facts.boot) {
    return [{
      node: node.name, severity: 'error',
      message: 'the memory cgroup controller is not enabled and no cmdline.txt was found in /boot/firmware or /boot',
      hint: 'mount the boot partition, or add cgroup_enable=memory to the kernel command line yourself',
    }];
  }
  if (!inv.prepare.cgroups) {
    return [{
      node: node.name, severity: 'error',
      message: `the memory cgroup controller is not enabled (${where}) and prepare.cgroups is off`,
      hint: 'set prepare.cgroups: true so kbootstrap adds the cgroup arguments to cmdline.txt',
    }];
  }
  return [];
}

function networkStackProblems(node: ResolvedNode, facts: NodeFacts): Problem[] {
  if (!node.target) return [];
  if (facts.networkStack === 'unknown') {
    return [{
      node: node.name, severity: 'error',
      message: `cannot set the static IP ${node.target.ip}: no network stack kbootstrap knows (NetworkManager, dhcpcd, netplan) manages this node`,
      hint: 'install and enable NetworkManager (Pi OS Bookworm/Trixie) or dhcpcd (Bullseye), or remove staticIp and use a DHCP reservation',
    }];
  }
  return preparationProblems(node, facts).map((e) => ({ node: node.name, severity: 'error' as const, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }));
}
