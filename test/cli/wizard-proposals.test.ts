import { describe, expect, it } from 'vitest';
import { runInitWizard } from '../../src/cli/init-wizard.js';
import { drivenPrompts, type Step } from './driven-prompts.js';

describe('the wizard proposes what it can read and leaves out what cannot work', () => {
  const here = { interface: 'wlan0', gateway: '192.168.2.1', prefix: 24, dns: ['192.168.2.1', '1.1.1.1'] };

  it("proposes this machine's gateway, prefix and DNS; warns when a node's address is the gateway", async () => {
    const prompts = drivenPrompts([
      { message: /^Cluster name/, answer: 'home' },
      { message: /What are the nodes/, answer: 'rpi4' },
      { message: /static IP addresses/, answer: true },
      { message: /^Gateway/, answer: '' },
      { message: /prefix length/, answer: '' },
      { message: /^DNS servers/, answer: '' },
      { message: /How many nodes/, answer: '1' },
      { message: /^Node 1: name/, answer: '' },
      { message: /^kmaster: address/, answer: '192.168.2.1' },
      { message: /^Use 192\.168\.2\.1 for kmaster anyway\?/, answer: false },
      { message: /^kmaster: address/, answer: '192.168.2.100' },
      { message: /^kmaster: static IP/, answer: '' },
      { message: /^kmaster: role/, answer: 'server' },
      { message: /^SSH user/, answer: '' },
      { message: /How does kbootstrap log in/, answer: 'agent' },
      { message: /^k3s version/, answer: '' },
      { message: /^Memory/, answer: '' },
      { message: /^Addons/, answer: [] },
    ]);
    const said: string[] = [];
    const inv = await runInitWizard({}, { prompts, env: {}, network: here, say: (t) => said.push(t) });
    expect(prompts.remaining()).toEqual([]);
    expect(inv.network).toEqual({ gateway: '192.168.2.1', prefix: 24, dns: ['192.168.2.1', '1.1.1.1'] });
    expect(inv.nodes).toEqual([{ name: 'kmaster', address: '192.168.2.100', staticIp: '192.168.2.50', role: 'server' }]);
    expect(said[0]).toBe('this machine is on 192.168.2.0/24 (wlan0) with gateway 192.168.2.1 and DNS 192.168.2.1, 1.1.1.1: proposed for the nodes');
    expect(said).toContain("warning: 192.168.2.1 is the gateway (your router), not a node; the node's address is the one it has now (see the router's list of DHCP leases)");
  });

  it('another gateway typed: the prefix and DNS proposals follow it, not this machine', async () => {
    const prompts = drivenPrompts([
      { message: /^Cluster name/, answer: '' },
      { message: /What are the nodes/, answer: 'generic' },
      { message: /static IP addresses/, answer: true },
      { message: /^Gateway/, answer: '10.0.0.1' },
      { message: /prefix length/, answer: '' },
      { message: /^DNS servers/, answer: '' },
      { message: /How many nodes/, answer: '1' },
      { message: /^Node 1: name/, answer: '' },
      { message: /^kmaster: address/, answer: '10.0.0.2' },
      { message: /^kmaster: static IP/, answer: '' },
      { message: /^kmaster: role/, answer: 'server' },
      { message: /^SSH user/, answer: '' },
      { message: /How does kbootstrap log in/, answer: 'agent' },
      { message: /^k3s version/, answer: '' },
      { message: /^Memory/, answer: '' },
      { message: /^Addons/, answer: [] },
    ]);
    const inv = await runInitWizard({}, { prompts, env: {}, network: { ...here, prefix: 16 } });
    expect(inv.network).toEqual({ gateway: '10.0.0.1', prefix: 24, dns: ['10.0.0.1'] });
  });

  it('does not offer OpenWhisk on arm64 boards, nor Kafka on 2 GB nodes; keeps what the file chose', async () => {
    const base: Step[] = [
      { message: /^Cluster name/, answer: '' },
      { message: /What are the nodes/, answer: 'rpi4' },
      { message: /static IP addresses/, answer: false },
      { message: /How many nodes/, answer: '1' },
      { message: /^Node 1: name/, answer: '' },
      { message: /^kmaster: address/, answer: '10.0.0.2' },
      { message: /^kmaster: role/, answer: 'server' },
      { message: /^SSH user/, answer: '' },
      { message: /How does kbootstrap log in/, answer: 'agent' },
      { message: /^k3s version/, answer: '' },
    ];
    const offered = async (memory: string, board: string, partial: object = {}) => {
      const prompts = drivenPrompts([
        ...base.map((s) => (/What are the nodes/.test(s.message.source) ? { ...s, answer: board } : s)),
        { message: /^Memory/, answer: memory },
        { message: /^Addons/, answer: [] },
      ]);
      let choices: string[] = [];
      const checkbox = prompts.checkbox.bind(prompts);
      prompts.checkbox = async (config) => {
        choices = config.choices.map((c) => c.value);
        return checkbox(config);
      };
      const said: string[] = [];
      const inv = await runInitWizard(partial, { prompts, env: {}, say: (t) => said.push(t) });
      return { choices, said, addons: inv.addons };
    };

    const pi = await offered('', 'rpi4');
    expect(pi.choices).toEqual(['cert-manager', 'knative-serving', 'knative-eventing', 'kafka']);
    expect(pi.said).toContain('not offered: openwhisk: its Apache images are published for amd64 only (apache/openwhisk#5503) and the nodes are arm64');

    const small = await offered('2', 'rpi4', { addons: { kafka: { knativeBroker: true } } });
    expect(small.choices).toEqual(['cert-manager', 'knative-serving', 'knative-eventing']);
    expect(small.said).toContain('not offered: kafka: one Kafka broker with the Strimzi operator is already tight on 4 GB nodes; the nodes have 2 GB (kept as the file has it)');
    expect(small.addons).toEqual({ kafka: { knativeBroker: true } });

    const vms = await offered('8', 'vagrant');
    expect(vms.choices).toEqual(['cert-manager', 'knative-serving', 'knative-eventing', 'kafka', 'openwhisk']);
  });
});
