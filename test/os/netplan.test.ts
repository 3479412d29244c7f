import { describe, expect, it } from 'vitest';
import { netplanConfigurer } from '../../src/os/netplan.js';
import { staticTarget } from '../../src/os/network-types.js';
import { applyFileChanges, file, firstNode, makeFacts, makeLabInventory, UBUNTU_CLOUD_INIT_NETPLAN, withFiles } from '../support/facts-factory.js';

const node = firstNode(makeLabInventory());
const target = staticTarget(node)!;
const PATH = '/etc/netplan/60-kbootstrap.yaml';

const EXPECTED = `# Written by kbootstrap: static IPv4 address of eth0. kbootstrap rewrites this file on every run.
# Netplan merges /{lib,etc,run}/netplan/*.yaml in file-name order: this file's scalars (dhcp4) override
# earlier files, while lists (addresses, routes) would be appended: kbootstrap removes those from the
# other files' definitions of eth0.
network:
  version: 2
  ethernets:
    eth0:
      renderer: networkd
      dhcp4: false
      addresses:
        - 10.77.0.11/24
      routes:
        - to: default
          via: 10.77.0.1
      nameservers:
        addresses:
          - 10.77.0.1
          - 1.1.1.1
`;

describe('netplan (Ubuntu, Vagrant)', () => {
  it('writes 60-kbootstrap.yaml, mode 0600, with the renderer the node uses, and leaves a dhcp4-only 50-cloud-init.yaml alone', () => {
    expect(netplanConfigurer.plan(node, target, makeFacts('ubuntu'))).toEqual([
      { kind: 'file', description: `set static IP 10.77.0.11/24 on eth0 in ${PATH}`, path: PATH, content: EXPECTED, before: null, mode: 0o600 },
    ]);
  });

  it('keeps NetworkManager as renderer, and writes none when the facts saw none', () => {
    const nm = netplanConfigurer.plan(node, target, makeFacts('ubuntu', { netplanRenderer: 'NetworkManager' }))[0];
    expect(nm?.kind === 'file' && nm.content).toContain('    eth0:\n      renderer: NetworkManager\n      dhcp4: false\n');
    const none = netplanConfigurer.plan(node, target, makeFacts('ubuntu', { netplanRenderer: undefined }))[0];
    expect(none?.kind === 'file' && none.content).toContain('    eth0:\n      dhcp4: false\n');
  });

  it('renders YAML that parses to the intended structure', async () => {
    const { parse } = await import('yaml');
    const [change] = netplanConfigurer.plan(node, target, makeFacts('ubuntu'));
    expect(parse(change?.kind === 'file' ? change.content : '')).toEqual({
      network: {
        version: 2,
        ethernets: {
          eth0: { renderer: 'networkd', dhcp4: false, addresses: ['10.77.0.11/24'], routes: [{ to: 'default', via: '10.77.0.1' }], nameservers: { addresses: ['10.77.0.1', '1.1.1.1'] } },
        },
      },
    });
  });

  it('removes addresses, routes and gateway4 of the interface from an earlier file (sequences would be concatenated)', () => {
    const earlier = `network:\n  version: 2\n  ethernets:\n    # the lab NIC\n    eth0:\n      dhcp4: false\n      addresses: [192.168.1.5/24]\n      gateway4: 192.168.1.1\n    eth1:\n      addresses: [10.0.0.2/24]\n`;
    const changes = netplanConfigurer.plan(node, target, withFiles(makeFacts('ubuntu'), file('/etc/netplan/01-netcfg.yaml', earlier, '600')));
    expect(changes[1]).toEqual({
      kind: 'file',
      description: `remove addresses, gateway4 of eth0 from /etc/netplan/01-netcfg.yaml (they would add to ${PATH})`,
      path: '/etc/netplan/01-netcfg.yaml',
      content: `network:\n  version: 2\n  ethernets:\n    # the lab NIC\n    eth0:\n      dhcp4: false\n    eth1:\n      addresses: [ 10.0.0.2/24 ]\n`,
      before: earlier,
      mode: 0o600,
    });
  });

  it('removes dhcp4 from a file sorting after ours (it would override our dhcp4: false)', () => {
    const later = 'network:\n  ethernets:\n    eth0:\n      dhcp4: true\n';
    const changes = netplanConfigurer.plan(node, target, withFiles(makeFacts('ubuntu'), file('/etc/netplan/90-late.yaml', later, '600')));
    expect(changes[1]).toMatchObject({ path: '/etc/netplan/90-late.yaml', content: 'network:\n  ethernets:\n    eth0: {}\n', description: expect.stringContaining('they would override') });
  });

  it('is idempotent', () => {
    const facts = withFiles(makeFacts('ubuntu'), file('/etc/netplan/01-netcfg.yaml', 'network:\n  ethernets:\n    eth0:\n      addresses: [192.168.1.5/24]\n', '600'));
    const first = netplanConfigurer.plan(node, target, facts);
    expect(first).toHaveLength(2);
    expect(netplanConfigurer.plan(node, target, applyFileChanges(facts, first))).toEqual([]);
    expect(netplanConfigurer.plan(node, target, withFiles(makeFacts('ubuntu'), file(PATH, EXPECTED, '600'), file('/etc/netplan/50-cloud-init.yaml', UBUNTU_CLOUD_INIT_NETPLAN, '600')))).toEqual([]);
  });
});
