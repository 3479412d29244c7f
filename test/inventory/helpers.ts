import { InventorySchema, type Inventory, type InventoryInput } from '../../src/inventory/schema.js';

/** A small valid inventory to start tests from; `patch` replaces top-level sections. */
export function inventory(patch: Partial<InventoryInput> = {}): Inventory {
  return InventorySchema.parse({
    cluster: { name: 'pi' },
    ssh: { password: { env: 'PW' } },
    network: { gateway: '192.168.2.1' },
    nodes: [
      { name: 'kmaster', role: 'server', address: '192.168.2.100', staticIp: '192.168.2.50' },
      { name: 'knode1', address: '192.168.2.101', staticIp: '192.168.2.51' },
    ],
    ...patch,
  });
}
