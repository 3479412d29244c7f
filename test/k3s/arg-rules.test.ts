import { describe, expect, it } from 'vitest';
import { formatProblem, parseInventoryText, type Problem } from '../../src/inventory/index.js';

const env = { KBOOTSTRAP_PI_PASSWORD: 'pw', S3_SECRET: 'shh' };

function inventoryText(k3s: string): string {
  return `cluster:
  name: lab
ssh:
  password: { env: KBOOTSTRAP_PI_PASSWORD }
nodes:
  - name: kmaster
    role: server
    address: 10.0.0.2
  - name: knode1
    address: 10.0.0.3
k3s:
${k3s}`;
}

function problems(k3s: string): string[] {
  const r = parseInventoryText(inventoryText(k3s), '/inv/inventory.yaml', env, { probe: () => ({ kind: 'missing' }) });
  const all: Problem[] = [...(r.ok ? [] : r.problems), ...r.warnings];
  return all.map((p) => formatProblem({ ...p, file: 'inventory.yaml' }));
}

// k3s pkg/configfilearg/defaultparser.go: only `server` and `etcd-snapshot` skip unknown config keys;
// `k3s agent` exits with "flag provided but not defined".
describe('k3s.agentArgs / serverArgs against the flags of the pinned k3s', () => {
  it('refuses an unknown agentArgs key with file:line and a did-you-mean', () => {
    expect(problems('  agentArgs:\n    kubelet-args: ["max-pods=50"]\n')).toEqual([
      'inventory.yaml:13:5: error: agentArgs.kubelet-args: k3s agent has no flag kubelet-args; the agent would exit ("flag provided but not defined: -kubelet-args") (hint: did you mean "kubelet-arg"?)',
    ]);
  });

  it('refuses a server-only flag in agentArgs and says where it belongs', () => {
    expect(problems('  agentArgs:\n    kube-apiserver-arg: ["x=y"]\n')).toEqual([
      'inventory.yaml:13:5: error: agentArgs.kube-apiserver-arg: kube-apiserver-arg is a k3s server flag; a k3s agent exits on it ("flag provided but not defined: -kube-apiserver-arg") (hint: move it to k3s.serverArgs)',
    ]);
  });

  it('refuses an unknown serverArgs key too (k3s would drop it silently)', () => {
    expect(problems('  serverArgs:\n    cluster-cdir: 10.42.0.0/16\n')).toEqual([
      'inventory.yaml:13:5: error: serverArgs.cluster-cdir: k3s server has no flag cluster-cdir; k3s would silently ignore it (hint: did you mean "cluster-cidr"?)',
    ]);
  });

  it('accepts known keys, append keys (key+) and short aliases', () => {
    expect(problems('  serverArgs:\n    kube-apiserver-arg+: ["a=b"]\n    cluster-cidr: 10.42.0.0/16\n  agentArgs:\n    kubelet-arg: ["max-pods=50"]\n    node-external-ip: 1.2.3.4\n    i: 10.0.0.3\n')).toEqual([
      // `i` is node-ip, which kbootstrap sets itself
      expect.stringContaining("inventory.yaml:18:5: warning: agentArgs.i: kbootstrap sets node-ip itself"),
    ]);
  });

  it('warns that an owned key is ignored, with its append form too (node-label+)', () => {
    expect(problems('  agentArgs:\n    node-label+: ["a=b"]\n')).toEqual([
      "inventory.yaml:13:5: warning: agentArgs.node-label+: kbootstrap sets node-label itself, so this value is ignored (hint: set the node's `labels` in the inventory)",
    ]);
  });

  it('refuses data-dir (kbootstrap\'s token, manifests and uninstall paths are fixed)', () => {
    const out = problems('  serverArgs:\n    data-dir: /mnt/ssd/k3s\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^inventory\.yaml:13:5: error: serverArgs\.data-dir: kbootstrap keeps k3s's data in \/var\/lib\/rancher\/k3s/);
  });

  it('refuses a credential written as text and accepts it from env', () => {
    expect(problems('  serverArgs:\n    etcd-s3-secret-key: abc123\n    datastore-endpoint: "postgres://k3s:hunter2@db:5432/k3s"\n')).toEqual([
      'inventory.yaml:13:25: error: serverArgs.etcd-s3-secret-key holds a credential written in the inventory (hint: give it as etcd-s3-secret-key: { env: VARIABLE } or { file: path } (mode 0600), like ssh.password)',
      'inventory.yaml:14:25: error: serverArgs.datastore-endpoint holds a credential written in the inventory (hint: give it as datastore-endpoint: { env: VARIABLE } or { file: path } (mode 0600), like ssh.password)',
    ]);
    expect(problems('  serverArgs:\n    etcd-s3-secret-key: { env: S3_SECRET }\n    datastore-endpoint: https://etcd:2379\n')).toEqual([]);
    expect(problems('  serverArgs:\n    etcd-s3-secret-key: { env: NOT_SET }\n')).toEqual([
      expect.stringContaining('inventory.yaml:13:32: error: serverArgs.etcd-s3-secret-key comes from environment variable NOT_SET, which is not set'),
    ]);
  });

  it('only warns for a version it has no flag list for', () => {
    expect(problems('  version: v1.27.1+k3s1\n  agentArgs:\n    whatever: 1\n')).toEqual([
      expect.stringContaining('inventory.yaml:12:12: warning: kbootstrap has no flag list for k3s v1.27.1+k3s1'),
    ]);
  });
});
