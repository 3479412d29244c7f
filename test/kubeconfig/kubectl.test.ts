import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installKubeconfig } from '../../src/kubeconfig/write.js';
import { CA, CLIENT_KEY, ENTRIES, K3S_YAML, twoClusterKubeconfig } from './fixtures.js';

/**
 * kubectl reads kubeconfigs offline: Debian's kubernetes-client package in CI, /usr/bin/kubectl here.
 * KBOOTSTRAP_TEST_KUBECTL picks another binary (checked with Debian 12's kubectl 1.20.2 and 1.32.4).
 */
const KUBECTL = [process.env.KBOOTSTRAP_TEST_KUBECTL, '/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => p && existsSync(p));

function kubectl(kubeconfig: string, ...args: string[]): string {
  return execFileSync(KUBECTL!, ['config', ...args, '--kubeconfig', kubeconfig], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
}

describe.skipIf(!KUBECTL)('the merged kubeconfig read by a real kubectl', () => {
  it('lists all three contexts, points pilab at the static IP, leaves the others unchanged, mode 0600', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kb-kubectl-'));
    const path = join(home, '.kube', 'config');
    const existing = twoClusterKubeconfig();
    execFileSync('mkdir', ['-p', join(home, '.kube')]);
    writeFileSync(path, existing, { mode: 0o644 });
    const before = kubectl(path, 'view', '--raw', '-o', 'json');

    const result = await installKubeconfig({ k3sYaml: K3S_YAML, context: 'pilab', server: '10.77.0.11', path: '~/.kube/config', merge: true, setCurrent: false, env: {}, home });

    expect(result.path).toBe(path);
    expect(readFileSync(result.backupPath!, 'utf8')).toBe(existing);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(kubectl(path, 'get-contexts', '-o', 'name').trim().split('\n').sort()).toEqual(['home', 'pilab', 'work']);
    expect(kubectl(path, 'current-context').trim()).toBe('work');
    expect(kubectl(path, 'view', '--raw', '-o', 'jsonpath={.clusters[?(@.name=="pilab")].cluster.server}')).toBe('https://10.77.0.11:6443');
    expect(kubectl(path, 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="pilab")].user.client-key-data}')).toBe(CLIENT_KEY);
    expect(kubectl(path, 'view', '--raw', '-o', 'jsonpath={.clusters[?(@.name=="pilab")].cluster.certificate-authority-data}')).toBe(CA);

    const after = JSON.parse(kubectl(path, 'view', '--raw', '-o', 'json'));
    const old = JSON.parse(before);
    for (const section of ['clusters', 'users', 'contexts'] as const) {
      const others = after[section].filter((e: { name: string }) => e.name !== 'pilab');
      expect(others, section).toEqual(old[section]);
    }
    const text = readFileSync(path, 'utf8');
    for (const [name, entry] of Object.entries(ENTRIES)) expect(text, name).toContain(entry);
  });

  it('switches to the new context with setCurrent, and a second run changes nothing else', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kb-kubectl-'));
    const path = join(home, 'kc', 'config');
    const first = await installKubeconfig({ k3sYaml: K3S_YAML, context: 'pilab', server: '10.77.0.11', path: '~/kc/config', merge: true, setCurrent: true, env: {}, home });
    expect(first.backupPath).toBeUndefined();
    expect(kubectl(path, 'current-context').trim()).toBe('pilab');
    const once = readFileSync(path, 'utf8');
    const second = await installKubeconfig({ k3sYaml: K3S_YAML, context: 'pilab', server: '10.77.0.11', path: '~/kc/config', merge: true, setCurrent: true, env: {}, home });
    expect(second.replaced).toEqual(['clusters/pilab', 'users/pilab', 'contexts/pilab']);
    expect(readFileSync(path, 'utf8')).toBe(once);
    expect(second.unchanged).toBe(true);
    expect(second.backupPath).toBeUndefined();
    expect(kubectl(path, 'get-contexts', '-o', 'name').trim()).toBe('pilab');
  });
});
