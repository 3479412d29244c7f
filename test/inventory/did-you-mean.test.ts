import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/inventory/did-you-mean.js';
import { intToIp, ipToInt, subnetOf } from '../../src/inventory/ipv4.js';

describe('didYouMean', () => {
  const keys = ['name', 'role', 'address', 'staticIp', 'network', 'ssh', 'board', 'labels', 'taints'];
  it.each([
    ['stattic_ip', 'staticIp'],
    ['staticIP', 'staticIp'],
    ['static-ip', 'staticIp'],
    ['adress', 'address'],
    ['lables', 'labels'],
    ['hostname', undefined],
    ['x', undefined],
  ])('%s → %s', (input, want) => {
    expect(didYouMean(input, keys)).toBe(want);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('kafak', 'kafka')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('ipv4', () => {
  it('converts and finds subnets', () => {
    expect(intToIp(ipToInt('192.168.2.50'))).toBe('192.168.2.50');
    expect(subnetOf('192.168.2.50', 24)).toEqual({ network: '192.168.2.0', broadcast: '192.168.2.255', prefix: 24 });
    expect(subnetOf('10.77.0.13', 8)).toEqual({ network: '10.0.0.0', broadcast: '10.255.255.255', prefix: 8 });
    expect(subnetOf('192.168.2.200', 25)).toEqual({ network: '192.168.2.128', broadcast: '192.168.2.255', prefix: 25 });
  });
});
