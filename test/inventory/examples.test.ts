import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadInventory, type FileProbe } from '../../src/inventory/index.js';

const dir = resolve(import.meta.dirname, '../../inventories');
// The lab's password file and Vagrant's keys exist only once the lab / the VMs are up: stand in for them.
const filesPresent: FileProbe = () => ({ kind: 'file', mode: 0o600, readable: true });
const env = { KBOOTSTRAP_PI_PASSWORD: 'raspberry-test' };

async function load(name: string) {
  const result = await loadInventory(resolve(dir, name), { env, probe: filesPresent });
  const messages = [...(result.ok ? [] : result.problems), ...result.warnings].map(formatProblem);
  return { result, messages };
}

describe('example inventories', () => {
  it('raspberry-pi-4.yaml validates: kmaster + knode1-3 on 192.168.2.50-53', async () => {
    const { result, messages } = await load('raspberry-pi-4.yaml');
    expect(messages).toEqual([]);
    if (!result.ok) throw new Error('not ok');
    const inv = result.inventory;
    expect(inv.nodes.map((n) => [n.name, n.role, n.target?.ip, n.connect.user, n.board])).toEqual([
      ['kmaster', 'server', '192.168.2.50', 'pi', 'rpi4'],
      ['knode1', 'agent', '192.168.2.51', 'pi', 'rpi4'],
      ['knode2', 'agent', '192.168.2.52', 'pi', 'rpi4'],
      ['knode3', 'agent', '192.168.2.53', 'pi', 'rpi4'],
    ]);
    expect(inv.nodes.every((n) => n.target?.gateway === '192.168.2.1' && n.target.dns.join() === '192.168.2.1')).toBe(true);
    expect(inv.nodes[0]!.connect.password).toEqual({ env: 'KBOOTSTRAP_PI_PASSWORD' });
    expect(inv.addons).toEqual(['cert-manager', 'knative-serving', 'knative-eventing', 'kafka']);
    expect(Object.keys(inv.raw.addons)).toEqual(['cert-manager', 'knative-serving', 'knative-eventing', 'kafka', 'openwhisk']);
  });

  it('raspberry-pi-4.yaml without its password variable fails naming it', async () => {
    const result = await loadInventory(resolve(dir, 'raspberry-pi-4.yaml'), { env: {}, probe: filesPresent });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem).join('\n')).toContain('KBOOTSTRAP_PI_PASSWORD, which is not set');
  });

  it('vagrant.yaml validates: 1 server, 3 agents on 192.168.56.0/24 with the Vagrantfile\'s provider-independent key', async () => {
    const { result, messages } = await load('vagrant.yaml');
    expect(messages).toEqual([]);
    if (!result.ok) throw new Error('not ok');
    const nodes = result.inventory.nodes;
    expect(nodes.filter((n) => n.role === 'server').map((n) => n.name)).toEqual(['kmaster']);
    expect(nodes.filter((n) => n.role === 'agent')).toHaveLength(3);
    expect(nodes.every((n) => n.connect.host.startsWith('192.168.56.') && n.connect.user === 'vagrant' && n.board === 'vagrant')).toBe(true);
    expect(nodes[1]!.connect.privateKey).toBe(resolve(dir, '../vagrant/.vagrant/kbootstrap/id_ed25519'));
    expect(nodes.every((n) => n.target === undefined)).toBe(true);
    expect(result.inventory.raw.network.interface, 'found from the address on the node').toBeUndefined();
  });

  it('lab.yaml validates: 10.77.0.10-13 from a password file', async () => {
    const { result, messages } = await load('lab.yaml');
    expect(messages).toEqual([]);
    if (!result.ok) throw new Error('not ok');
    const nodes = result.inventory.nodes;
    expect(nodes.map((n) => n.target?.ip)).toEqual(['10.77.0.10', '10.77.0.11', '10.77.0.12', '10.77.0.13']);
    expect(nodes.every((n) => n.target?.gateway === '10.77.0.1')).toBe(true);
    expect(nodes[0]!.connect.password).toEqual({ file: '/run/kbootstrap-lab/kblab0/password' });
  });

  it('lab.yaml with the password file absent says which file', async () => {
    const result = await loadInventory(resolve(dir, 'lab.yaml'), { env, probe: () => ({ kind: 'missing' }) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/lab\.yaml:17:11: error: password file \/run\/kbootstrap-lab\/kblab0\/password does not exist/),
    ]);
  });
});
