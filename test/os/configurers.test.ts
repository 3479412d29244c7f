import { describe, expect, it } from 'vitest';
import { networkConfigurerFor, NETWORK_CONFIGURERS } from '../../src/os/configurers.js';
import { makeFacts } from '../support/facts-factory.js';

describe('network configurer registry', () => {
  it('picks from the detected stack first', () => {
    expect(networkConfigurerFor(makeFacts('trixie'))?.stack).toBe('NetworkManager');
    expect(networkConfigurerFor(makeFacts('bullseye'))?.stack).toBe('dhcpcd');
    expect(networkConfigurerFor(makeFacts('ubuntu'))?.stack).toBe('netplan');
    // A Bookworm node someone moved to dhcpcd is configured through dhcpcd.
    expect(networkConfigurerFor(makeFacts('bookworm', { networkStack: 'dhcpcd' }))?.stack).toBe('dhcpcd');
  });

  it('falls back to the OS release only when the stack is unknown', () => {
    const unknown = (r: 'trixie' | 'bookworm' | 'bullseye' | 'ubuntu') => networkConfigurerFor(makeFacts(r, { networkStack: 'unknown' }))?.stack;
    expect([unknown('trixie'), unknown('bookworm'), unknown('bullseye'), unknown('ubuntu')]).toEqual(['NetworkManager', 'NetworkManager', 'dhcpcd', 'netplan']);
    expect(networkConfigurerFor(makeFacts('bookworm', { networkStack: 'ifupdown' }))).toBeUndefined();
    expect(networkConfigurerFor(makeFacts('bookworm', { networkStack: 'systemd-networkd' }))).toBeUndefined();
  });

  it('is an explicit list', () => {
    expect(NETWORK_CONFIGURERS.map((c) => c.name)).toEqual(['NetworkManager keyfile', 'dhcpcd.conf', 'netplan']);
  });
});
