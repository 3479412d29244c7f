import type { Variant } from './paths.js';

/**
 * What kbootstrap writes on each OS to give eth0 a static IP, as a shell command run with sudo
 * (the tests write it the way the tool does, over SSH, then reboot the node).
 */
export function staticIpCommand(variant: Variant, ip: string, prefix: number, gateway: string): string {
  switch (variant) {
    case 'trixie':
    case 'trixie-cloudinit':
    case 'bookworm':
      return [
        `umask 077`,
        `printf '%s\\n' '[connection]' 'id=kbootstrap-eth0' 'type=ethernet' 'interface-name=eth0' 'autoconnect=true' 'autoconnect-priority=100' '' '[ipv4]' 'method=manual' 'address1=${ip}/${prefix},${gateway}' 'dns=${gateway};' '' '[ipv6]' 'method=auto' > /etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection`,
        `chmod 600 /etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection`,
      ].join(' && ');
    case 'bullseye':
      return `printf '%s\\n' '' 'interface eth0' 'static ip_address=${ip}/${prefix}' 'static routers=${gateway}' 'static domain_name_servers=${gateway}' >> /etc/dhcpcd.conf`;
    case 'netplan':
      return [
        `umask 077`,
        `printf '%s\\n' 'network:' '  version: 2' '  renderer: networkd' '  ethernets:' '    eth0:' '      dhcp4: false' '      addresses: [${ip}/${prefix}]' '      routes: [{to: default, via: ${gateway}}]' '      nameservers: {addresses: [${gateway}]}' > /etc/netplan/50-cloud-init.yaml`,
      ].join(' && ');
  }
}
