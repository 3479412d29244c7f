import type { InventoryInput } from '../../inventory/index.js';

export interface UnsetSecret {
  variable: string;
  /** "the SSH password", "the sudo password of knode2" */
  what: string;
}

/** The environment variables the inventory's secrets come from that are not set, once each. */
export function unsetSecretVariables(inv: InventoryInput, env: Record<string, string | undefined>): UnsetSecret[] {
  const out: UnsetSecret[] = [];
  const look = (ssh: InventoryInput['ssh'], owner: string) => {
    for (const [key, what] of [['password', 'SSH password'], ['sudoPassword', 'sudo password']] as const) {
      const variable = ssh?.[key]?.env;
      if (variable && !env[variable] && !out.some((u) => u.variable === variable)) out.push({ variable, what: `the ${what}${owner}` });
    }
  };
  look(inv.ssh, '');
  for (const node of inv.nodes) look(node.ssh, ` of ${node.name}`);
  return out;
}
