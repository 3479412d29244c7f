import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiServerUrl, rewriteKubeconfig } from '../../src/kubeconfig/rewrite.js';
import { CA, CLIENT_CERT, CLIENT_KEY, K3S_YAML } from './fixtures.js';

describe('rewriteKubeconfig', () => {
  it('renames cluster, user and context and points the server at the static IP', () => {
    const out = rewriteKubeconfig(K3S_YAML, { context: 'pilab', server: '10.77.0.11' });
    expect(out).toBe(
      K3S_YAML.replace('server: https://127.0.0.1:6443', 'server: https://10.77.0.11:6443')
        .replace(/name: default/g, 'name: pilab')
        .replace(/(cluster|user|current-context): default/g, '$1: pilab'),
    );
  });

  it('leaves "default" inside other values alone (parsed, not string-replaced)', () => {
    const config = parse(rewriteKubeconfig(K3S_YAML, { context: 'pilab', server: '10.77.0.11' }));
    expect(config.users[0].user['client-key-data']).toBe(CLIENT_KEY);
    expect(CLIENT_KEY).toContain('default');
    expect(config.users[0].user['client-certificate-data']).toBe(CLIENT_CERT);
    expect(config.clusters[0].cluster['certificate-authority-data']).toBe(CA);
  });

  it('keeps long certificate lines unfolded', () => {
    const out = rewriteKubeconfig(K3S_YAML, { context: 'pilab', server: 'k3s.lan' });
    expect(out).toContain(`    certificate-authority-data: ${CA}\n`);
    expect(out).toContain('server: https://k3s.lan:6443');
  });

  it('refuses something that is not a k3s kubeconfig, without quoting its content', () => {
    expect(() => rewriteKubeconfig('apiVersion: v1\nclusters: []\n', { context: 'x', server: 'y' })).toThrow('the k3s kubeconfig has 0 clusters, expected 1');
    const broken = `clusters:\n- cluster:\n    certificate-authority-data: ${CA}\n   bad: [\n`;
    expect(() => rewriteKubeconfig(broken, { context: 'x', server: 'y' })).toThrow(/is not valid YAML \(line \d+, column \d+\)/);
    try {
      rewriteKubeconfig(broken, { context: 'x', server: 'y' });
    } catch (err) {
      expect((err as Error).message).not.toContain(CA.slice(0, 20));
    }
  });
});

describe('apiServerUrl', () => {
  it('adds scheme and port as needed', () => {
    expect(apiServerUrl('10.77.0.11')).toBe('https://10.77.0.11:6443');
    expect(apiServerUrl('k3s.lan:7443')).toBe('https://k3s.lan:7443');
    expect(apiServerUrl('https://vip.lan:6443')).toBe('https://vip.lan:6443');
    expect(apiServerUrl('fd00::11')).toBe('https://[fd00::11]:6443');
  });
});
