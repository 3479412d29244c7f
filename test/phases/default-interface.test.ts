import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { chooseInterface } from '../../src/phases/default-interface.js';
import { newNodeState } from '../../src/phases/context.js';
import { makeFacts } from '../support/facts-factory.js';
import { testInventory } from './fixtures.js';

const onRoute = (iface: string) => makeFacts({
  interfaces: [{ name: 'lo', up: true, addresses: ['127.0.0.1/8'] }, { name: iface, up: true, addresses: ['10.77.9.100/24'] }],
  defaultRoute: { gateway: '10.77.9.1', interface: iface },
});

describe('the interface kbootstrap configures', () => {
  it('is the one carrying the default route when the inventory names none', () => {
    const inv = testInventory();
    const state = newNodeState(inv.nodes[0]!);
    chooseInterface(state, onRoute('enp0s3'), inv);
    expect(state.node.interface).toBe('enp0s3');
  });

  it('is the inventory\'s when it names one', () => {
    const inv = testInventory(`
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1, interface: eth1 }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100, staticIp: 10.77.9.10 }
`);
    const state = newNodeState(inv.nodes[0]!);
    chooseInterface(state, onRoute('enp0s3'), inv);
    expect(state.node.interface).toBe('eth1');
  });

  it('a Wi-Fi node with a static IP is refused before any change, saying why and what to do', () => {
    const inv = testInventory();
    const state = newNodeState(inv.nodes[0]!);
    let err: unknown;
    try {
      chooseInterface(state, onRoute('wlan0'), inv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('kmaster reaches the network over Wi-Fi (wlan0); kbootstrap sets a static IP on wired interfaces only and would replace its Wi-Fi profile');
    expect((err as UserError).hint).toMatch(/^connect the node by Ethernet, or leave its address to DHCP/);
  });

  it('a Wi-Fi node left on DHCP is fine', () => {
    const inv = testInventory(`
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100 }
`);
    const state = newNodeState(inv.nodes[0]!);
    chooseInterface(state, onRoute('wlan0'), inv);
    expect(state.node.interface).toBe('wlan0');
  });

});
