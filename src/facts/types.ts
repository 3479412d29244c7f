/**
 * What one round trip to a node tells us (facts/script.sh run once as root, JSON out).
 * Everything the planners need to decide what to change is here, so planning needs no further I/O.
 */
export type NetworkStack = 'NetworkManager' | 'dhcpcd' | 'netplan' | 'ifupdown' | 'systemd-networkd' | 'unknown';

export interface FileFact {
  path: string;
  /** null when the file does not exist. */
  content: string | null;
  /** Octal mode like "600", when the file exists. */
  mode?: string;
}

export interface InterfaceFact {
  name: string;
  mac?: string;
  up: boolean;
  /** CIDR strings, e.g. "10.77.0.101/24". */
  addresses: string[];
}

export interface NodeFacts {
  osRelease: { id: string; versionId?: string; codename?: string; prettyName?: string; idLike?: string };
  /** `uname -m`: aarch64, armv7l, x86_64. */
  arch: string;
  kernel: string;
  /** "Raspberry Pi 4 Model B Rev 1.4", from the device tree or /proc/cpuinfo; undefined elsewhere. */
  boardModel?: string;
  hostname: string;
  machineId: string;
  interfaces: InterfaceFact[];
  defaultRoute?: { gateway: string; interface: string };
  /** Which stack manages the network, detected in this order: NetworkManager active, dhcpcd active, netplan files, ifupdown, networkd. */
  networkStack: NetworkStack;
  netplanRenderer?: string;
  /** The boot partition (Pi boards): /boot/firmware from Bookworm on, /boot before; absent if neither has cmdline.txt. */
  boot?: { dir: string; cmdline: FileFact; config: FileFact };
  /**
   * Contents of the files the planners compare against: /etc/hostname, /etc/hosts, /etc/dhcpcd.conf,
   * every /etc/NetworkManager/system-connections/*, every /etc/netplan/*.yaml, swap config files.
   * Keyed by absolute path.
   */
  files: Record<string, FileFact>;
  swap: {
    /** Active swap devices from /proc/swaps. */
    active: { device: string; type: string; sizeKb: number }[];
    /** dphys-swapfile installed (Bullseye/Bookworm). */
    dphysSwapfile: { installed: boolean; enabled: boolean };
    /** rpi-swap / systemd zram-generator (Trixie). */
    zram: { configured: boolean };
    /** systemd units of type swap that are enabled (e.g. a swapfile in fstab). */
    fstabSwap: string[];
  };
  cgroup: {
    version: 1 | 2;
    /** Controllers available at the root (cgroup v2 cgroup.controllers, or enabled rows of /proc/cgroups). */
    controllers: string[];
    memoryEnabled: boolean;
  };
  /** /proc/cmdline as the running kernel saw it. */
  procCmdline: string;
  /**
   * The node runs on its own kernel (`systemd-detect-virt --container` says none), so /proc/cmdline is
   * the command line it booted with; false in a container (the host's); absent when unknown.
   */
  ownKernel?: boolean;
  /** The node's clock, ms since the epoch, when the script ran. */
  clockMs: number;
  disk: { rootFreeMb: number; varLibFreeMb: number };
  memory: { totalMb: number; availableMb: number };
  k3s: {
    installed: boolean;
    version?: string;
    /** From which unit exists: k3s.service = server, k3s-agent.service = agent. */
    role?: 'server' | 'agent';
    serviceActive: boolean;
    /** Active since (ms since epoch), to prove a re-run restarted nothing. */
    serviceSinceMs?: number;
    /** sha256 of /etc/rancher/k3s/config.yaml (never its content: it holds the token). */
    configSha256?: string;
    /** sha256 of the unit file(s) and of the binary. */
    unitSha256?: string;
    binarySha256?: string;
  };
  /** Files kbootstrap backed up before (paths of originals under /var/lib/kbootstrap/backup). */
  backups: string[];
  /** Whether the facts ran as root through sudo (false: sudo failed, see facts error). */
  sudoOk: boolean;
  /** Of `backups`, the originals that did not exist (a "X.absent" marker): reset deletes them. */
  absentBackups?: string[];
  /** Commands found on the node among NetworkManager, dhcpcd, ifup, netplan, dphys-swapfile, ping, arping. */
  tools?: string[];
  /** `systemctl is-active` of the network and k3s units ('unknown' when systemctl could not answer). */
  serviceStates?: Record<string, string>;
  /** /proc/sys/kernel/random/boot_id: changes at every boot. */
  bootId?: string;
  /** Why a reboot kbootstrap recorded in this boot is still pending (empty: none pending). */
  rebootPending?: string[];
  /** cloud-init, when installed (Pi OS Trixie, Ubuntu for Pi); absent otherwise. */
  cloudInit?: CloudInitFact;
}

export interface CloudInitFact {
  /** /etc/cloud/cloud-init.disabled exists: cloud-init does nothing at boot. */
  disabled: boolean;
  /** NoCloud seed files on the boot partition (user-data, meta-data, network-config), absolute paths. */
  bootSeed: string[];
}

/**
 * What the first server's facts pass (`sh -s first-server`) read of its k3s, in the same round trip: raw
 * text, '' where a file was missing. Holds secrets (tokens, the kubeconfig's client key): kept in memory
 * only, never in NodeFacts or any event.
 */
export interface ServerSnapshot {
  token: string;
  agentToken: string;
  kubeconfig: string;
  /**
   * The API's node list (a NodeList, as `kubectl get nodes -o json` prints it), asked for right after the
   * round trip through the same connection with `kubeconfig`'s credentials, while the phases plan;
   * only while k3s is active. Undefined in the end when that failed (the phases then ask kubectl).
   */
  nodesJson?: Promise<string | undefined>;
  /** The addons' view of the server (src/addons/files.ts buildStateCommand's output). */
  addons: string;
  /** The run lock file's text ('' when no run holds it) and the lock's generation (0 before any run took it). */
  runLock: string;
  runGeneration: number;
}
