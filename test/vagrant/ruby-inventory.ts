import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Test helpers: the repository's vagrant/ directory and what its Ruby side makes of an inventory. */
export const REPO = resolve(import.meta.dirname, '../..');
export const VAGRANT_DIR = resolve(REPO, 'vagrant');

export interface RubyMachine {
  name: string;
  role: 'server' | 'agent';
  ip: string;
  cpus: number;
  memory: number;
}

export interface RubyInventory {
  file: string;
  boxes: { libvirt: string; virtualbox: string };
  machines: RubyMachine[];
}

/** Why a tool cannot run here, or undefined when it can. */
export function missing(tool: string, packageName = tool): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
  return found ? undefined : `${tool} is not installed (Debian package ${packageName})`;
}

/** `ruby vagrant/inventory.rb FILE`: the Vagrantfile's own reading of the inventory, as JSON. */
export function rubyInventory(file: string): RubyInventory {
  return JSON.parse(execFileSync('ruby', [resolve(VAGRANT_DIR, 'inventory.rb'), file], { encoding: 'utf8' })) as RubyInventory;
}

/** The same, for a file the Ruby side should refuse: its exit status and error text. */
export function rubyRefusal(file: string): { status: number | null; stderr: string } {
  const r = spawnSync('ruby', [resolve(VAGRANT_DIR, 'inventory.rb'), file], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}
