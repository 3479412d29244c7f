import { labNetworkSuite } from './network-suite.js';
import type { Variant } from './paths.js';

// Emulated nodes (qemu-user): uname -m says aarch64; their network is applied by the
// emulated-network shim from the files on their disk (NetworkManager keyfile, dhcpcd.conf, netplan).
const index = Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);
const variants = (process.env.KBOOTSTRAP_LAB_ARM64_VARIANTS ?? 'trixie,bullseye,netplan').split(',') as Variant[];
labNetworkSuite('arm64', variants, index);
