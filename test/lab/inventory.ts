import { stringify } from 'yaml';
import type { LabSubnet } from './paths.js';

export interface InventoryNodeInput {
  name: string;
  address: string;
  variant: string;
}

export interface InventoryInput {
  clusterName: string;
  subnet: LabSubnet;
  user: string;
  passwordFile: string;
  privateKeyPath?: string;
  knownHosts: string;
  nodes: InventoryNodeInput[];
  servers?: number;
  ha?: boolean;
  staticIps?: boolean;
  extra?: Record<string, unknown>;
}

/** The static IP the inventory gives the i-th lab node: base + (10 + i), outside the DHCP range. */
export function labStaticIp(subnet: LabSubnet, position: number): string {
  return `${subnet.base}${10 + position}`;
}

/** A kbootstrap inventory (see src/inventory/schema.ts) for lab nodes; pure, tested by equality. */
export function buildInventory(input: InventoryInput): Record<string, unknown> {
  const servers = input.servers ?? (input.ha ? 3 : 1);
  const allVagrant = input.nodes.every((n) => n.variant === 'netplan');
  const board = allVagrant ? 'vagrant' : 'rpi4';
  const inv: Record<string, unknown> = {
    cluster: { name: input.clusterName },
    board,
    ssh: {
      user: input.user,
      password: { file: input.passwordFile },
      ...(input.privateKeyPath ? { privateKey: input.privateKeyPath } : {}),
      knownHosts: input.knownHosts,
    },
    network: { prefix: input.subnet.prefix, gateway: input.subnet.gateway, dns: [input.subnet.dns] },
    nodes: input.nodes.map((n, i) => {
      const nodeBoard = n.variant === 'netplan' ? 'vagrant' : 'rpi4';
      return {
        name: n.name,
        role: i < servers ? 'server' : 'agent',
        address: n.address,
        ...(input.staticIps === false ? {} : { staticIp: labStaticIp(input.subnet, i) }),
        ...(nodeBoard !== board ? { board: nodeBoard } : {}),
      };
    }),
    k3s: { ha: !!input.ha },
  };
  for (const [key, value] of Object.entries(input.extra ?? {})) {
    const current = inv[key];
    inv[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
  }
  return inv;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function inventoryYaml(input: InventoryInput): string {
  return `# kbootstrap inventory for the lab (written by test/lab); addresses are the nodes' DHCP leases\n${stringify(buildInventory(input))}`;
}
