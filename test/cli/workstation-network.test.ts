import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRouteOf, isGatewayAddress, parseProcNetRoute, parseResolvConf, proposeNetwork, readWorkstationNetwork } from '../../src/cli/workstation-network.js';

const dir = resolve(import.meta.dirname, '../fixtures/workstation');
const fixture = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('the workstation network the wizard proposes', () => {
  it('reads /proc/net/route: little-endian hex addresses, flags, metric', () => {
    const routes = parseProcNetRoute(fixture('route-pi-lan.txt'));
    expect(routes).toEqual([
      { iface: 'wlan0', destination: 0, gateway: 0xc0a80201, mask: 0, metric: 600, up: true, viaGateway: true },
      { iface: 'wlan0', destination: 0xc0a80200, gateway: 0, mask: 0xffffff00, metric: 600, up: true, viaGateway: false },
    ]);
    expect(defaultRouteOf(routes)).toEqual({ interface: 'wlan0', gateway: '192.168.2.1', prefix: 24 });
  });

  it('takes the default route with the lowest metric and the prefix of its link', () => {
    expect(defaultRouteOf(parseProcNetRoute(fixture('route-two-defaults.txt')))).toEqual({ interface: 'eth0', gateway: '192.168.0.1', prefix: 16 });
  });

  it('proposes nothing without a default route', () => {
    expect(proposeNetwork(fixture('route-no-default.txt'), fixture('resolv-router.conf'))).toBeUndefined();
  });

  it('reads IPv4 name servers once each; a loopback stub is no use to the nodes', () => {
    expect(parseResolvConf(fixture('resolv-router.conf'))).toEqual(['192.168.2.1', '1.1.1.1']);
    expect(parseResolvConf(fixture('resolv-stub.conf'))).toEqual([]);
  });

  it('DNS: the name servers, or the gateway when only a local stub is configured', () => {
    expect(proposeNetwork(fixture('route-pi-lan.txt'), fixture('resolv-router.conf'))).toEqual({ interface: 'wlan0', gateway: '192.168.2.1', prefix: 24, dns: ['192.168.2.1', '1.1.1.1'] });
    expect(proposeNetwork(fixture('route-pi-lan.txt'), fixture('resolv-stub.conf'))?.dns).toEqual(['192.168.2.1']);
  });

  it('reads the two files, and proposes nothing where /proc/net/route does not exist (not Linux)', () => {
    const files: Record<string, string> = { '/proc/net/route': fixture('route-pi-lan.txt') };
    const read = (p: string) => {
      if (!(p in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[p]!;
    };
    expect(readWorkstationNetwork(read)).toEqual({ interface: 'wlan0', gateway: '192.168.2.1', prefix: 24, dns: ['192.168.2.1'] });
    expect(readWorkstationNetwork(() => { throw new Error('ENOENT'); })).toBeUndefined();
  });

  it('knows a gateway address when it sees one', () => {
    expect(isGatewayAddress('192.168.2.1', '192.168.2.1')).toBe(true);
    expect(isGatewayAddress('192.168.2.10', '192.168.2.1')).toBe(false);
    expect(isGatewayAddress('router.local', '192.168.2.1')).toBe(false);
    expect(isGatewayAddress('192.168.2.1', undefined)).toBe(false);
  });
});
