import { describe, expect, it } from 'vitest';
import { detectNetworkStack, netplanRendererOf } from '../../src/facts/network-stack.js';
import { parseDefaultRoute, parseDf, parseOsRelease, parseSha256sums, zipUnitStates } from '../../src/facts/raw-parsers.js';
import type { FileFact } from '../../src/facts/types.js';

const files = (...list: [string, string][]): Record<string, FileFact> => Object.fromEntries(list.map(([path, content]) => [path, { path, content }]));

describe('raw parsers', () => {
  it('reads os-release quoting', () => {
    expect(parseOsRelease('NAME="Debian \\"x\\""\nID=debian\n# c\nVERSION=\'12 (bookworm)\'\n')).toEqual({ NAME: 'Debian "x"', ID: 'debian', VERSION: '12 (bookworm)' });
  });
  it('picks the default route with the lowest metric', () => {
    expect(parseDefaultRoute('default via 10.0.0.1 dev wlan0 metric 600\ndefault via 10.77.0.1 dev eth0 metric 100')).toEqual({ gateway: '10.77.0.1', interface: 'eth0' });
    expect(parseDefaultRoute('')).toBeUndefined();
  });
  it('uses / for /var/lib when df printed one row', () => {
    expect(parseDf('Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/root 1000 10 4096 1% /')).toEqual({ rootFreeMb: 4, varLibFreeMb: 4 });
  });
  it('maps systemctl states only when every unit answered', () => {
    expect(zipUnitStates(['a', 'b'], ['active', 'inactive'])).toEqual({ a: 'active', b: 'inactive' });
    expect(zipUnitStates(['a', 'b'], ['System has not been booted with systemd'])).toEqual({ a: 'unknown', b: 'unknown' });
  });
  it('reads sha256sum lines', () => {
    expect(parseSha256sums(`${'a'.repeat(64)}  /x y`)).toEqual(new Map([['/x y', 'a'.repeat(64)]]));
  });
});

describe('network stack detection', () => {
  const none = { unitStates: {}, tools: [], files: {} };
  it('prefers a running daemon, then /etc/netplan, ifupdown, networkd, then what is installed', () => {
    expect(detectNetworkStack({ ...none, unitStates: { NetworkManager: 'active' } }).stack).toBe('NetworkManager');
    expect(detectNetworkStack({ ...none, unitStates: { dhcpcd5: 'active' }, tools: ['NetworkManager'] }).stack).toBe('dhcpcd');
    expect(detectNetworkStack({ ...none, files: files(['/etc/netplan/01.yaml', 'network: {version: 2}\n']) })).toEqual({ stack: 'netplan', netplanRenderer: 'networkd' });
    expect(detectNetworkStack({ ...none, tools: ['ifup'], files: files(['/etc/network/interfaces', 'auto lo\niface lo inet loopback\nauto eth0\niface eth0 inet dhcp\n']) }).stack).toBe('ifupdown');
    expect(detectNetworkStack({ ...none, tools: ['ifup'], files: files(['/etc/network/interfaces', 'auto lo\niface lo inet loopback\n']) }).stack).toBe('unknown');
    expect(detectNetworkStack({ ...none, unitStates: { 'systemd-networkd': 'active' } }).stack).toBe('systemd-networkd');
    expect(detectNetworkStack({ ...none, tools: ['dhcpcd'] }).stack).toBe('dhcpcd');
    expect(detectNetworkStack(none)).toEqual({ stack: 'unknown' });
  });
  it('takes the netplan renderer in netplan order, /etc shadowing /lib', () => {
    expect(netplanRendererOf(files(
      ['/lib/netplan/00-network-manager-all.yaml', 'network:\n  renderer: NetworkManager\n'],
      ['/etc/netplan/00-network-manager-all.yaml', 'network:\n  renderer: networkd\n'],
    ))).toBe('networkd');
    expect(netplanRendererOf(files(['/lib/netplan/00-a.yaml', 'network:\n  renderer: NetworkManager\n'], ['/etc/netplan/50-b.yaml', 'network:\n  version: 2\n']))).toBe('NetworkManager');
    expect(netplanRendererOf(files(['/etc/netplan/bad.yaml', ': : [']))).toBeUndefined();
  });
});
