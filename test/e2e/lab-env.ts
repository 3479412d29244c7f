import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Lab } from '../lab/lab.js';

export const isRoot = process.getuid?.() === 0;
export const LAB_SKIP_REASON = 'needs root (the lab boots systemd-nspawn nodes)';

/** Writes the lab's inventory (optionally edited) to a fresh temp dir; kubeconfig goes there too. */
export async function writeLabInventory(lab: Lab, opts: Parameters<Lab['inventory']>[0] = {}, edit?: (inv: Record<string, unknown>) => void): Promise<{ file: string; dir: string; kubeconfig: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kbootstrap-e2e-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const inv = parse(await lab.inventory(opts)) as Record<string, unknown>;
  inv.kubeconfig = { path: kubeconfig, merge: false };
  inv.prepare = { ...(inv.prepare as object | undefined), rebootTimeout: 180 };
  edit?.(inv);
  const file = join(dir, 'inventory.yaml');
  await writeFile(file, stringify(inv));
  return { file, dir, kubeconfig };
}

/** Every secret the lab generated, to prove none reaches any output. */
export async function labSecrets(lab: Lab, serverNode: string): Promise<string[]> {
  const token = (await lab.readFile(serverNode, '/var/lib/rancher/k3s/server/token'))?.trim();
  const key = (await import('node:fs/promises')).readFile(lab.credentials.privateKeyPath, 'utf8');
  const keyBody = (await key).split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  return [lab.credentials.password, token, token?.split('::server:')[1], keyBody.slice(0, 40)].filter((s): s is string => !!s);
}
