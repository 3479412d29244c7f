import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InventorySchema } from '../../src/inventory/schema.js';
import { intentFromDhcpcdConf, intentFromKeyfile, intentFromNetplan } from './emulated-network-shim.js';
import { buildInventory, inventoryYaml, labStaticIp } from './inventory.js';
import { labSubnet } from './paths.js';
import { NETPLAN_CLOUD_INIT_YAML, PI_DHCPCD_CONF, piCmdline } from './pi-files.js';
import { staticIpCommand } from './static-ip-fixtures.js';
import { buildRecipe, recipeHash } from './variants.js';

describe('emulated network shim parsers', () => {
  it('reads a manual NetworkManager keyfile for eth0', () => {
    const text = '[connection]\nid=x\ntype=ethernet\ninterface-name=eth0\n\n[ipv4]\nmethod=manual\naddress1=10.77.0.10/24,10.77.0.1\ndns=10.77.0.1;\n';
    expect(intentFromKeyfile(text, 'f')).toEqual({ kind: 'static', address: '10.77.0.10', prefix: 24, gateway: '10.77.0.1', dns: ['10.77.0.1'], source: 'f', priority: 0 });
  });
  it('ignores keyfiles for other interfaces and treats method=auto as DHCP', () => {
    expect(intentFromKeyfile('[connection]\ntype=ethernet\ninterface-name=wlan0\n[ipv4]\nmethod=manual\naddress1=1.2.3.4/24\n', 'f')).toBeUndefined();
    expect(intentFromKeyfile('[connection]\ntype=ethernet\n[ipv4]\nmethod=auto\n', 'f')).toMatchObject({ kind: 'dhcp' });
  });
  it('reads the interface eth0 block of dhcpcd.conf, not the commented example', () => {
    expect(intentFromDhcpcdConf(PI_DHCPCD_CONF, 'd')).toEqual({ kind: 'dhcp', source: 'd' });
    const conf = `${PI_DHCPCD_CONF}\ninterface wlan0\nstatic ip_address=192.168.9.9/24\ninterface eth0\nstatic ip_address=10.77.0.12/24\nstatic routers=10.77.0.1\nstatic domain_name_servers=10.77.0.1 1.1.1.1\n`;
    expect(intentFromDhcpcdConf(conf, 'd')).toEqual({ kind: 'static', address: '10.77.0.12', prefix: 24, gateway: '10.77.0.1', dns: ['10.77.0.1', '1.1.1.1'], source: 'd' });
  });
  it('reads netplan: stock DHCP, then a later file with addresses and a default route', () => {
    expect(intentFromNetplan([{ name: '50-cloud-init.yaml', text: NETPLAN_CLOUD_INIT_YAML }])).toMatchObject({ kind: 'dhcp' });
    const stat = 'network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: false\n      addresses: [10.77.0.13/24]\n      routes: [{to: default, via: 10.77.0.1}]\n      nameservers: {addresses: [10.77.0.1]}\n';
    expect(intentFromNetplan([{ name: '60-static.yaml', text: stat }, { name: '50-cloud-init.yaml', text: NETPLAN_CLOUD_INIT_YAML }])).toEqual({
      kind: 'static', address: '10.77.0.13', prefix: 24, gateway: '10.77.0.1', dns: ['10.77.0.1'], source: '60-static.yaml',
    });
  });
});

describe('lab inventory', () => {
  const subnet = labSubnet(3);
  const input = {
    clusterName: 'kblab3', subnet, user: 'pi', passwordFile: '/run/kbootstrap-lab/kblab3/password', knownHosts: '/run/kh',
    nodes: [{ name: 'kmaster', address: '10.77.3.150', variant: 'trixie' }, { name: 'knode1', address: '10.77.3.151', variant: 'trixie' }],
  };
  it('builds servers, agents, static IPs outside the DHCP range and the lab router', () => {
    expect(buildInventory(input)).toEqual({
      cluster: { name: 'kblab3' },
      board: 'rpi4',
      ssh: { user: 'pi', password: { file: '/run/kbootstrap-lab/kblab3/password' }, knownHosts: '/run/kh' },
      network: { prefix: 24, gateway: '10.77.3.1', dns: ['10.77.3.1'] },
      nodes: [
        { name: 'kmaster', role: 'server', address: '10.77.3.150', staticIp: '10.77.3.10' },
        { name: 'knode1', role: 'agent', address: '10.77.3.151', staticIp: '10.77.3.11' },
      ],
      k3s: { ha: false },
    });
    expect(labStaticIp(subnet, 5)).toBe('10.77.3.15');
  });
  it('produces YAML that kbootstrap\'s inventory schema accepts, with extra keys merged', () => {
    const yaml = inventoryYaml({ ...input, ha: true, servers: 2, extra: { k3s: { version: 'v1.31.4+k3s1' }, prepare: { concurrency: 4 } } });
    const parsed = InventorySchema.parse(parse(yaml));
    expect(parsed.k3s).toMatchObject({ ha: true, version: 'v1.31.4+k3s1' });
    expect(parsed.nodes.map((n) => n.role)).toEqual(['server', 'server']);
    expect(parsed.prepare.concurrency).toBe(4);
  });
});

describe('root filesystem recipes', () => {
  it('masks the network daemons only on emulated nodes and keeps the Pi boot files per release', () => {
    expect(buildRecipe('trixie', 'arm64').mask).toContain('NetworkManager.service');
    expect(buildRecipe('trixie', 'amd64').mask).toEqual([]);
    expect(buildRecipe('bullseye', 'amd64').enable).toContain('dhcpcd.service');
    expect(buildRecipe('bullseye', 'arm64').files.map((f) => f.path)).toContain('/boot/cmdline.txt');
    expect(buildRecipe('trixie', 'arm64').files.map((f) => f.path)).toContain('/boot/firmware/config.txt');
    expect(buildRecipe('netplan', 'amd64').files.find((f) => f.path === '/etc/netplan/50-cloud-init.yaml')?.mode).toBe(0o600);
    expect(recipeHash(buildRecipe('trixie', 'arm64'))).not.toBe(recipeHash(buildRecipe('trixie', 'amd64')));
  });
  it('writes the stock Pi OS cmdline.txt as one line', () => {
    expect(piCmdline('trixie').trimEnd().split('\n')).toHaveLength(1);
    expect(piCmdline('trixie')).toContain('rootwait');
  });
  it('static IP fixtures write what each stack reads', () => {
    expect(staticIpCommand('bullseye', '10.77.0.12', 24, '10.77.0.1')).toContain('static ip_address=10.77.0.12/24');
    expect(staticIpCommand('trixie', '10.77.0.10', 24, '10.77.0.1')).toContain('chmod 600');
  });
});
