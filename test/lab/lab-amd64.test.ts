import { labNetworkSuite } from './network-suite.js';

// Native nodes: the real NetworkManager, dhcpcd and systemd-networkd run inside.
const index = Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);
labNetworkSuite('amd64', ['trixie', 'bookworm', 'bullseye', 'netplan'], index);
