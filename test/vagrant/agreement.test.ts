import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, loadInventory, VagrantSchema, type FileProbe, type ResolvedInventory } from '../../src/inventory/index.js';
import { missing, REPO, rubyInventory, rubyRefusal, VAGRANT_DIR } from './ruby-inventory.js';

// The Vagrantfile (through vagrant/inventory.rb, run by ruby) and kbootstrap read the same inventory:
// they must agree on every node's name, role and address, on the VM sizes, and on the SSH login.
// Nothing here connects anywhere: the key file does not exist before `vagrant up`, so a probe stands in.
const noRuby = missing('ruby');
const filesPresent: FileProbe = () => ({ kind: 'file', mode: 0o600, readable: true });
const tmp = mkdtempSync(join(tmpdir(), 'kb-vagrant-agree-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function kbootstrapReading(file: string): Promise<ResolvedInventory> {
  const result = await loadInventory(file, { env: {}, probe: filesPresent });
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  expect(result.warnings.map(formatProblem)).toEqual([]);
  return result.inventory;
}

/** Names, roles, addresses and sizes as kbootstrap sees them, in the Ruby side's shape. */
function expectedMachines(inv: ResolvedInventory) {
  const sizes = VagrantSchema.parse(inv.raw.vagrant ?? {});
  return inv.nodes.map((n) => ({ name: n.name, role: n.role, ip: n.connect.host, cpus: sizes[n.role].cpus, memory: sizes[n.role].memory }));
}

/** 1 server + `agents` agents, the seed's 1 + 10 shape, with no `vagrant:` block (all defaults). */
function generated(agents: number): string {
  const nodes = [
    { name: 'kmaster', role: 'server', address: '192.168.56.10' },
    ...Array.from({ length: agents }, (_, i) => ({ name: `knode${i + 1}`, address: `192.168.56.${11 + i}` })),
  ];
  return stringify({
    cluster: { name: 'vagrant-ten' },
    board: 'vagrant',
    ssh: { user: 'vagrant', agent: false, privateKey: '../vagrant/.vagrant/kbootstrap/id_ed25519' },
    nodes,
  });
}

describe.skipIf(noRuby)(`Vagrantfile and kbootstrap read the same inventory${noRuby ? ` (skipped: ${noRuby})` : ''}`, () => {
  it('inventories/vagrant.yaml: same names, roles, addresses, sizes and boxes', async () => {
    const file = resolve(REPO, 'inventories/vagrant.yaml');
    const inv = await kbootstrapReading(file);
    const ruby = rubyInventory(file);
    expect(ruby.machines).toEqual(expectedMachines(inv));
    expect(ruby.machines.map((m) => m.name)).toEqual(['kmaster', 'knode1', 'knode2', 'knode3']);
    expect(ruby.boxes).toEqual(VagrantSchema.parse(inv.raw.vagrant).boxes);
  });

  it('a generated 1 + 10 inventory: same 11 nodes, and the Ruby defaults are the schema defaults', async () => {
    mkdirSync(join(tmp, 'inventories'), { recursive: true });
    const file = join(tmp, 'inventories', 'ten.yaml');
    writeFileSync(file, generated(10));
    const inv = await kbootstrapReading(file);
    const ruby = rubyInventory(file);
    expect(ruby.machines).toHaveLength(11);
    expect(ruby.machines).toEqual(expectedMachines(inv));
    expect(ruby.machines.at(-1)).toMatchObject({ name: 'knode10', ip: '192.168.56.20', role: 'agent' });
    expect(ruby.boxes).toEqual(VagrantSchema.parse({}).boxes);
  });

  it('SSH needs no edit after `vagrant up`: the key the Vagrantfile installs, user vagrant, port 22 on the private address', async () => {
    const inv = await kbootstrapReading(resolve(REPO, 'inventories/vagrant.yaml'));
    for (const n of inv.nodes) {
      expect(n.connect).toMatchObject({ user: 'vagrant', port: 22, privateKey: resolve(VAGRANT_DIR, '.vagrant/kbootstrap/id_ed25519') });
    }
    // The interface is found from the address on the node (see interface.test.ts), never assumed.
    expect(inv.raw.network.interface).toBeUndefined();
    expect(inv.raw.nodes.every((n) => n.network?.interface === undefined && n.staticIp === undefined)).toBe(true);
  });

  it('the Ruby side refuses what the Vagrantfile cannot build, naming the file, the line and the node', () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, 'cluster: { name: c }\nnodes:\n  - name: a\n    address: 192.168.56.10\n  - name: b\n    address: b.local\n');
    const dns = rubyRefusal(file);
    expect(dns.status).toBe(1);
    expect(dns.stderr).toContain(`${file}:5: node b: address "b.local" must be an IPv4 address`);
    writeFileSync(file, 'cluster: { name: c }\nnodes:\n  - name: a\n    address: 192.168.56.10\n    staticIp: 192.168.56.20\n');
    expect(rubyRefusal(file).stderr).toContain(`${file}:3: node a: staticIp is not for Vagrant nodes`);
    writeFileSync(file, 'cluster: { name: c }\nnodes:\n  - name: a\n    address: 192.168.56.10\n  - name: a\n    address: 192.168.56.11\n');
    expect(rubyRefusal(file).stderr).toContain('nodes a, a share the name a');
  });
});
