import { labNetworkSuite } from './network-suite.js';
import { arm64TestVariants } from './test-rootfs.js';

// Emulated nodes (qemu-user): uname -m says aarch64; their network is applied by the
// emulated-network shim from the files on their disk (NetworkManager keyfile, dhcpcd.conf, netplan).
const index = Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);
labNetworkSuite('arm64', arm64TestVariants(), index);
