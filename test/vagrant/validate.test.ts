import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missing, REPO, VAGRANT_DIR } from './ruby-inventory.js';

// `vagrant validate` on the Vagrantfile (Debian packages vagrant and vagrant-libvirt; no hypervisor
// needed). It runs on a copy in a temporary directory, so the key the Vagrantfile makes lands there,
// with its own VAGRANT_HOME. Nothing is booted and nothing is connected to.
const noVagrant = missing('vagrant');
const work = mkdtempSync(join(tmpdir(), 'kb-vagrant-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function vagrant(dir: string, inventory: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  for (const f of ['Vagrantfile', 'inventory.rb']) copyFileSync(resolve(VAGRANT_DIR, f), join(dir, f));
  const r = spawnSync('vagrant', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, VAGRANT_HOME: join(work, 'home'), VAGRANT_CHECKPOINT_DISABLE: '1', KBOOTSTRAP_INVENTORY: inventory, ...env },
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(noVagrant)(`vagrant validate${noVagrant ? ` (skipped: ${noVagrant})` : ''}`, () => {
  it('validates with the default provider (libvirt) and makes the provider-independent key, mode 0600', () => {
    const dir = mkdtempSync(join(work, 'ok-'));
    const r = vagrant(dir, resolve(REPO, 'inventories/vagrant.yaml'), ['validate']);
    expect(r.out, 'install vagrant-libvirt if this says the libvirt provider could not be found').toContain('Vagrantfile validated successfully');
    expect(r.status).toBe(0);
    const key = join(dir, '.vagrant/kbootstrap/id_ed25519');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(existsSync(`${key}.pub`)).toBe(true);
  });

  it('lists one machine per node, in inventory order', () => {
    const dir = mkdtempSync(join(work, 'status-'));
    // `vagrant status` only asks the provider about machines that were created: none here.
    const r = vagrant(dir, resolve(REPO, 'inventories/vagrant.yaml'), ['status', '--machine-readable']);
    const names = [...r.out.matchAll(/^\d+,([a-z0-9-]+),metadata,provider,/gm)].map((m) => m[1]);
    expect(names).toEqual(['kmaster', 'knode1', 'knode2', 'knode3']);
  });

  it('refuses an inventory it cannot build, naming the file, the line and the node', () => {
    const dir = mkdtempSync(join(work, 'bad-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'cluster: { name: c }\nnodes:\n  - name: kmaster\n    role: boss\n    address: 192.168.56.10\n');
    const r = vagrant(dir, bad, ['validate']);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(`kbootstrap Vagrantfile: ${bad}:3: node kmaster: role must be server or agent, not boss`);
  });
});
