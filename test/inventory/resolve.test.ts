import { describe, expect, it } from 'vitest';
import { resolveInventory } from '../../src/inventory/index.js';
import { inventory } from './helpers.js';

const opts = { env: {}, homeDir: '/home/u' };

describe('resolveInventory', () => {
  it('fills every default', () => {
    const r = resolveInventory(inventory(), '/inv/pi.yaml', opts);
    expect(r.nodes[0]).toEqual({
      name: 'kmaster',
      role: 'server',
      board: 'rpi4',
      index: 0,
      connect: { host: '192.168.2.100', port: 22, user: 'pi', agent: false, password: { env: 'PW' }, knownHosts: '/home/u/.config/kbootstrap/known_hosts' },
      target: { ip: '192.168.2.50', prefix: 24, gateway: '192.168.2.1', dns: ['192.168.2.1'] },
      interface: 'eth0',
      labels: {},
      taints: [],
    });
    expect(r.kubeconfig).toEqual({ path: '/home/u/.kube/config', context: 'pi', merge: true, setCurrent: false });
    expect(r.prepare.gpuMem).toBe(16);
    expect(r.addons).toEqual([]);
    expect(r.file).toBe('/inv/pi.yaml');
  });

  it('lets node settings override the top level key by key', () => {
    const inv = inventory({
      board: 'rpi5',
      ssh: { user: 'admin', port: 2222, password: { env: 'PW' }, privateKey: 'keys/id' },
      network: { gateway: '10.0.0.1', prefix: 16, dns: ['1.1.1.1'], interface: 'end0' },
      nodes: [
        {
          name: 'kmaster',
          role: 'server',
          address: 'kmaster.local',
          staticIp: '10.0.3.4',
          board: 'rpi4',
          ssh: { user: 'pi', agent: true },
          network: { prefix: 24, gateway: '10.0.3.1' },
          labels: { zone: 'a' },
          taints: ['dedicated=edge:NoSchedule'],
        },
        { name: 'knode1', address: 'knode1.local' },
      ],
    });
    const [a, b] = resolveInventory(inv, '/inv/pi.yaml', opts).nodes;
    expect(a).toMatchObject({
      board: 'rpi4',
      connect: { user: 'pi', port: 2222, agent: true, privateKey: '/inv/keys/id' },
      target: { ip: '10.0.3.4', prefix: 24, gateway: '10.0.3.1', dns: ['1.1.1.1'] },
      interface: 'end0',
      labels: { zone: 'a' },
      taints: ['dedicated=edge:NoSchedule'],
    });
    expect(b).toMatchObject({ board: 'rpi5', role: 'agent', connect: { user: 'admin', agent: false } });
    expect(b!.target).toBeUndefined();
  });

  it('turns the agent on by default when SSH_AUTH_SOCK is set', () => {
    expect(resolveInventory(inventory(), '/inv/pi.yaml', { env: { SSH_AUTH_SOCK: '/s' } }).nodes[0]!.connect.agent).toBe(true);
  });

  it('lists enabled addons in dependency order', () => {
    const inv = inventory({
      addons: { openwhisk: { enabled: false }, kafka: { knativeBroker: true }, 'knative-eventing': {}, 'cert-manager': {} },
      kubeconfig: { context: 'home', path: 'out/kubeconfig' },
      prepare: { gpuMem: 64 },
    });
    const r = resolveInventory(inv, '/inv/pi.yaml', opts);
    expect(r.addons).toEqual(['cert-manager', 'knative-eventing', 'kafka']);
    expect(r.kubeconfig).toMatchObject({ context: 'home', path: '/inv/out/kubeconfig' });
    expect(r.prepare.gpuMem).toBe(64);
  });
});
