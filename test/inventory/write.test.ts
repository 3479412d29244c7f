import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInventoryText, stringifyInventory, writeInventory, type InventoryInput } from '../../src/inventory/index.js';

const input: InventoryInput = {
  cluster: { name: 'home' },
  ssh: { user: 'pi', password: { env: 'PW' } },
  network: { gateway: '192.168.2.1', dns: ['192.168.2.1'] },
  nodes: [
    { name: 'kmaster', role: 'server', address: '192.168.2.100', staticIp: '192.168.2.50' },
    { name: 'knode1', role: 'agent', address: '192.168.2.101', staticIp: '192.168.2.51' },
  ],
  k3s: { version: 'v1.31.4+k3s1' },
  addons: { 'cert-manager': {} },
};

describe('stringifyInventory', () => {
  it('writes clean YAML under a schema line, which loads back to the same inventory', () => {
    const text = stringifyInventory(input, { schemaRef: './kbootstrap.schema.json' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./kbootstrap.schema.json');
    expect(text).toContain('  - name: kmaster\n    role: server\n    address: 192.168.2.100\n    staticIp: 192.168.2.50\n');
    const back = parseInventoryText(text, '/x/inv.yaml', { PW: 'p' });
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.inventory.nodes.map((n) => n.target?.ip)).toEqual(['192.168.2.50', '192.168.2.51']);
  });

  it('refuses a literal password, and never prints it', () => {
    const bad = { ...input, ssh: { password: 'hunter2' } } as unknown as InventoryInput;
    expect(() => stringifyInventory(bad)).toThrow(/refusing to write a literal secret at ssh.password/);
    try {
      stringifyInventory(bad);
    } catch (e) {
      expect(String(e)).not.toContain('hunter2');
    }
  });

  it('refuses an invalid inventory', () => {
    expect(() => stringifyInventory({ ...input, nodes: [] })).toThrow(/needs at least one node/);
  });
});

describe('writeInventory', () => {
  it('writes mode 0644 with a relative schema path to the package copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-write-'));
    const file = join(dir, 'inventory.yaml');
    await writeInventory(input, file);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const first = readFileSync(file, 'utf8').split('\n')[0]!;
    expect(first).toMatch(/^# yaml-language-server: \$schema=\.\.?\/.*inventories\/kbootstrap\.schema\.json$/);
  });
});
