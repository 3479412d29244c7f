import type { AddonName, Board, Inventory, SecretRef } from './schema.js';

/**
 * A node with every default merged in: what the phases work with. Built by resolve.ts from a valid
 * Inventory. Secrets stay references here; they are read only when connecting.
 */
export interface ResolvedNode {
  name: string;
  role: 'server' | 'agent';
  board: Board;
  /** Index in inventory.nodes (first server = bootstrap server). */
  index: number;
  connect: {
    host: string;
    port: number;
    user: string;
    privateKey?: string;
    agent: boolean;
    password?: SecretRef;
    sudoPassword?: SecretRef;
    installKey?: string;
    knownHosts: string;
  };
  /** Absent when the inventory leaves the node's network alone. */
  target?: {
    ip: string;
    prefix: number;
    gateway?: string;
    dns: string[];
  };
  interface: string;
  labels: Record<string, string>;
  taints: string[];
}

export interface ResolvedInventory {
  /** Absolute path of the inventory file (secrets' relative file paths are resolved against it). */
  file: string;
  raw: Inventory;
  cluster: Inventory['cluster'];
  nodes: ResolvedNode[];
  k3s: Inventory['k3s'];
  addons: AddonName[];
  kubeconfig: Inventory['kubeconfig'] & { context: string };
  prepare: Inventory['prepare'] & { gpuMem: number };
}
