import { describe, expect, it } from 'vitest';
import { parse, parse as parseYaml } from 'yaml';
import { buildK3sConfig, buildK3sRegistrationConfig, describeK3sConfig, tlsSans } from '../../src/k3s/config.js';
import { TOKEN, inventory, node } from './fixtures.js';

const HEADER = '# Written by kbootstrap. Edit the inventory and re-run instead of editing this file.\n';

describe('buildK3sConfig', () => {
  it('writes the first server of a single-server cluster without server, token or cluster-init', () => {
    const inv = inventory();
    expect(buildK3sConfig(inv.nodes[0]!, inv, {})).toBe(
      HEADER +
        [
          'node-name: kmaster',
          'node-ip: 10.77.0.11',
          'flannel-iface: eth0',
          'tls-san:',
          '  - 10.77.0.11',
          '  - kmaster',
          'disable:',
          '  - traefik',
          'write-kubeconfig-mode: "0600"',
          '',
        ].join('\n'),
    );
  });

  it('starts embedded etcd on the first HA server and lists every server in tls-san', () => {
    const inv = inventory({ ha: true, k3s: { tlsSan: ['k3s.example.com'] } });
    const config = parse(buildK3sConfig(inv.nodes[0]!, inv, { clusterInit: true }));
    expect(config['cluster-init']).toBe(true);
    expect(config['tls-san']).toEqual(['10.77.0.11', 'kmaster1', '10.77.0.12', 'kmaster2', '10.77.0.13', 'kmaster3', 'k3s.example.com']);
    expect(config.server).toBeUndefined();
  });

  it('joins further servers with server and token, never cluster-init', () => {
    const inv = inventory({ ha: true });
    const config = parse(buildK3sConfig(inv.nodes[1]!, inv, { serverUrl: 'https://10.77.0.11:6443', token: TOKEN, clusterInit: true }));
    expect(config).toMatchObject({ 'node-name': 'kmaster2', server: 'https://10.77.0.11:6443', token: TOKEN });
    expect(config['cluster-init']).toBeUndefined();
    expect(config['write-kubeconfig-mode']).toBe('0600');
  });

  it('gives agents only their identity and the join settings', () => {
    const inv = inventory();
    expect(buildK3sConfig(inv.nodes[1]!, inv, { serverUrl: 'https://10.77.0.11:6443', token: TOKEN })).toBe(
      HEADER + ['node-name: kworker1', 'node-ip: 10.77.0.21', 'flannel-iface: eth0', 'server: https://10.77.0.11:6443', `token: ${TOKEN}`, ''].join('\n'),
    );
  });

  it('refuses an agent without a token (a bug in the caller)', () => {
    const inv = inventory();
    expect(() => buildK3sConfig(inv.nodes[1]!, inv, { serverUrl: 'https://10.77.0.11:6443' })).toThrow(/needs a server URL and a token/);
  });

  it('merges extra args sorted after the owned keys; the owned keys win', () => {
    const inv = inventory({ k3s: { serverArgs: { 'node-name': 'hijack', 'kube-apiserver-arg': ['a=b'], 'prefer-bundled-bin': true, disable: ['x'] }, agentArgs: { 'kubelet-arg': ['max-pods=50'] } } });
    const server = parse(buildK3sConfig(inv.nodes[0]!, inv, {}));
    expect(server['node-name']).toBe('kmaster');
    expect(server.disable).toEqual(['traefik']);
    expect(Object.keys(server)).toEqual(['node-name', 'node-ip', 'flannel-iface', 'tls-san', 'disable', 'write-kubeconfig-mode', 'kube-apiserver-arg', 'prefer-bundled-bin']);
    const agent = parse(buildK3sConfig(inv.nodes[1]!, inv, { serverUrl: 'https://x:6443', token: 't' }));
    expect(agent['kubelet-arg']).toEqual(['max-pods=50']);
    expect(agent['kube-apiserver-arg']).toBeUndefined();
  });

  it('drops owned keys given in their append (key+) or short (t, s, i) form too', () => {
    const inv = inventory({ k3s: { agentArgs: { 'node-label+': ['x=y'], t: 'other-token', s: 'https://elsewhere:6443', i: '1.2.3.4', 'kubelet-arg+': ['v=2'] } } });
    const agent = parse(buildK3sConfig(inv.nodes[1]!, inv, { serverUrl: 'https://10.77.0.11:6443', token: TOKEN }));
    expect(Object.keys(agent)).toEqual(['node-name', 'node-ip', 'flannel-iface', 'server', 'token', 'kubelet-arg+']);
    expect(agent.token).toBe(TOKEN);
  });

  it('falls back to the SSH address for node-ip, and leaves node-ip out for a DNS name', () => {
    const inv = inventory();
    const dhcp = node('kdhcp', 'server', 0, undefined);
    expect(parse(buildK3sConfig(dhcp, inv, {}))['node-ip']).toBe('192.168.1.100');
    const named = node('knamed', 'server', 0, undefined, { connect: { ...dhcp.connect, host: 'knamed.local' } });
    expect(parse(buildK3sConfig(named, inv, {}))['node-ip']).toBeUndefined();
  });

  it('is stable: the same inputs give the same bytes', () => {
    const inv = inventory();
    expect(buildK3sConfig(inv.nodes[0]!, inv, {})).toBe(buildK3sConfig(inv.nodes[0]!, inventory(), {}));
  });
});

describe('describeK3sConfig', () => {
  it('shows the config with the token as ***', () => {
    const inv = inventory();
    const text = describeK3sConfig(inv.nodes[1]!, inv, { serverUrl: 'https://10.77.0.11:6443', token: TOKEN });
    expect(text).toContain('token: "***"');
    expect(text).not.toContain('5f1e9c2a7b3d4e6f8a0b1c2d3e4f5a6b');
    expect(text).not.toContain(TOKEN);
  });
});

describe('tlsSans', () => {
  it('adds FQDNs with a cluster domain and the kubeconfig server', () => {
    const inv = inventory({ domain: 'lan', kubeconfigServer: 'k3s.lan' });
    expect(tlsSans(inv)).toEqual(['10.77.0.11', 'kmaster', 'kmaster.lan', 'k3s.lan']);
  });

  // Agents and kubectl check the certificate for the name they dialled (Go TLS, k3s pkg/clientaccess);
  // k3s adds no SAN it was not given (tls-san-security, default true).
  it('covers a server reached by a DNS name without a static IP (agents join at that name)', () => {
    const inv = inventory();
    inv.nodes[0] = node('kmaster', 'server', 0, undefined, { connect: { ...inv.nodes[0]!.connect, host: 'kmaster.local' } });
    expect(tlsSans(inv)).toEqual(['kmaster.local', 'kmaster']);
  });

  it.each([
    ['https://k3s.example.org:6443', 'k3s.example.org'],
    ['k3s.example.org:6443', 'k3s.example.org'],
    ['https://10.77.0.5', '10.77.0.5'],
    ['[fd00::5]:6443', 'fd00::5'],
    ['k3s.lan', 'k3s.lan'],
  ])('puts the host of kubeconfig.server %s into tls-san as %s', (server, host) => {
    expect(tlsSans(inventory({ kubeconfigServer: server })).at(-1)).toBe(host);
  });
});

describe('buildK3sRegistrationConfig', () => {
  it('lists labels sorted as k=v and taints, or nothing when there are none', () => {
    const inv = inventory();
    expect(buildK3sRegistrationConfig(inv.nodes[0]!)).toBeNull();
    expect(parse(buildK3sRegistrationConfig(inv.nodes[1]!)!)).toEqual({ 'node-label': ['example.com/disk=ssd', 'tier=edge'] });
    expect(parse(buildK3sRegistrationConfig(inv.nodes[2]!)!)).toEqual({ 'node-taint': ['dedicated=edge:NoSchedule'] });
  });
});

// k3s reads config.yaml with gopkg.in/yaml.v2 (pkg/configfilearg/parser.go), a YAML 1.1 reader.
describe('config.yaml values under YAML 1.1', () => {
  it('quotes every string a YAML 1.1 reader would turn into a bool or a number', () => {
    const inv = inventory({ k3s: { serverArgs: { 'etcd-s3-folder': 'on', 'etcd-snapshot-name': 'yes', 'cluster-domain': 'y', 'etcd-snapshot-retention': '1_000', 'default-local-storage-path': '0755', 'kube-apiserver-arg': ['x=on', '12:30'] } } });
    const text = buildK3sConfig(inv.nodes[0]!, inv, {});
    const read = parseYaml(text, { version: '1.1' }) as Record<string, unknown>;
    expect(read['etcd-s3-folder']).toBe('on');
    expect(read['etcd-snapshot-name']).toBe('yes');
    expect(read['cluster-domain']).toBe('y');
    expect(read['etcd-snapshot-retention']).toBe('1_000');
    expect(read['default-local-storage-path']).toBe('0755');
    expect(read['kube-apiserver-arg']).toEqual(['x=on', '12:30']);
    expect(read['node-name']).toBe('kmaster');
    expect(text).toContain('etcd-s3-folder: "on"\n');
  });
});

describe('secrets in config.yaml', () => {
  // The server token is admin-equivalent; k3s links agent-token to it unless agent-token is set
  // (pkg/server/server.go, printTokens), so servers get their own agent-token.
  it('gives servers an agent-token and hides it in the description', () => {
    const inv = inventory();
    const join = { agentToken: 'f'.repeat(32) };
    expect(parse(buildK3sConfig(inv.nodes[0]!, inv, join))['agent-token']).toBe('f'.repeat(32));
    expect(describeK3sConfig(inv.nodes[0]!, inv, join)).toContain('agent-token: "***"');
    expect(describeK3sConfig(inv.nodes[0]!, inv, join)).not.toContain('f'.repeat(32));
    expect(parse(buildK3sConfig(inv.nodes[1]!, inv, { ...join, serverUrl: 'https://10.77.0.11:6443', token: TOKEN }))['agent-token']).toBeUndefined();
  });

  it('writes { env } / { file } args with the values read for them, and never describes them', () => {
    const inv = inventory({ k3s: { serverArgs: { 'etcd-s3-secret-key': { env: 'S3_SECRET' }, 'etcd-s3-bucket': 'snaps' } } });
    const join = { secretArgs: { 'etcd-s3-secret-key': 's3cr3t-value' } };
    const config = parse(buildK3sConfig(inv.nodes[0]!, inv, join));
    expect(config['etcd-s3-secret-key']).toBe('s3cr3t-value');
    expect(config['etcd-s3-bucket']).toBe('snaps');
    expect(describeK3sConfig(inv.nodes[0]!, inv, join)).not.toContain('s3cr3t-value');
    expect(() => buildK3sConfig(inv.nodes[0]!, inv, {})).toThrow(/etcd-s3-secret-key comes from env but was not read/);
  });
});
