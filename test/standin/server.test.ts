// The stand-in server's files: version, K10 tokens, k3s.yaml with real certificates, restart behaviour.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupAll, run, serverToken, startServer, startServerIn, type StandinNode } from './harness.js';

afterAll(cleanupAll);

const SERVER_DIR = 'var/lib/rancher/k3s/server';

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  'current-context': string;
}

const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');
const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

describe('k3s --version', () => {
  it('prints a k3s-style version line that says it is a stand-in', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('k3s version v1.31.4+k3s1 (kbootstrap lab stand-in, not Kubernetes)');
    expect((await run(['-v'])).stdout).toBe(r.stdout);
  });

  it('reports K3S_STANDIN_VERSION when set', async () => {
    const r = await run(['--version'], { K3S_STANDIN_VERSION: 'v1.30.8+k3s1' });
    expect(r.stdout).toMatch(/^k3s version v1\.30\.8\+k3s1 \(/);
  });
});

describe('k3s server (single, with a configured token)', () => {
  let server: StandinNode & { port: number };

  it('starts and writes token, node-token and agent-token in K10 format with the CA hash', async () => {
    server = await startServer(
      'token: "lab-secret-1"\nwrite-kubeconfig-mode: "0644"\nnode-name: kmaster\ntls-san:\n  - 10.77.3.10\n  - k3s.lab.example\n',
    );
    const ca = await readFile(join(server.root, SERVER_DIR, 'tls/server-ca.crt'));
    const hash = createHash('sha256').update(ca).digest('hex');
    const token = await serverToken(server);
    expect(token).toBe(`K10${hash}::server:lab-secret-1`);
    for (const f of ['token', 'node-token', 'agent-token']) {
      const p = join(server.root, SERVER_DIR, f);
      expect((await readFile(p, 'utf8')).trim()).toBe(token);
      expect(await mode(p)).toBe(0o600);
    }
  });

  it('writes k3s.yaml named default everywhere, with the configured mode and working certificates', async () => {
    const path = join(server.root, 'etc/rancher/k3s/k3s.yaml');
    expect(await mode(path)).toBe(0o644);
    const kc = parse(await readFile(path, 'utf8')) as Kubeconfig;
    expect(kc['current-context']).toBe('default');
    expect(kc.clusters.map((c) => c.name)).toEqual(['default']);
    expect(kc.users.map((u) => u.name)).toEqual(['default']);
    expect(kc.contexts).toEqual([{ name: 'default', context: { cluster: 'default', user: 'default' } }]);
    expect(kc.clusters[0]!.cluster.server).toBe(`https://127.0.0.1:${server.port}`);

    const caPem = b64(kc.clusters[0]!.cluster['certificate-authority-data']);
    const clientPem = b64(kc.users[0]!.user['client-certificate-data']);
    const keyPem = b64(kc.users[0]!.user['client-key-data']);
    expect(keyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    // openssl itself parses the CA and the admin certificate.
    expect(execFileSync('openssl', ['x509', '-noout', '-subject'], { input: caPem }).toString()).toMatch(/k3s-server-ca@/);
    expect(execFileSync('openssl', ['x509', '-noout', '-subject'], { input: clientPem }).toString()).toMatch(
      /O\s*=\s*system:masters, CN\s*=\s*system:admin/,
    );

    // The serving certificate is signed by that CA and valid for 127.0.0.1, the tls-san entries and the hostname.
    const serving = new X509Certificate(await readFile(join(server.root, SERVER_DIR, 'tls/serving-kube-apiserver.crt')));
    const ca = new X509Certificate(caPem);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.checkIP('10.77.3.10')).toBe('10.77.3.10');
    expect(serving.checkHost('k3s.lab.example')).toBe('k3s.lab.example');
    expect(serving.checkIP('10.77.3.11')).toBeUndefined();

    // A plain Node TLS client with only the kubeconfig's material gets the node list (hostname checked).
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/api/v1/nodes', ca: caPem, cert: clientPem, key: keyPem },
        (res) => {
          let data = '';
          res.on('data', (d: Buffer) => (data += d.toString()));
          res.on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect((JSON.parse(body) as { items: Array<{ metadata: { name: string } }> }).items.map((n) => n.metadata.name)).toEqual([
      'kmaster',
    ]);
  });

  it('refuses the node API without credentials', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/v1/nodes', rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
  });

  it('keeps its CA and token across a restart', async () => {
    const tokenBefore = await serverToken(server);
    const caBefore = await readFile(join(server.root, SERVER_DIR, 'tls/server-ca.crt'), 'utf8');
    await server.stop();
    server = await startServerIn(server.root, server.port, 'kmaster');
    expect(await serverToken(server)).toBe(tokenBefore);
    expect(await readFile(join(server.root, SERVER_DIR, 'tls/server-ca.crt'), 'utf8')).toBe(caBefore);
  });

  it('lists itself as a Ready control-plane node with the k3s version', async () => {
    const r = await server.kubectl('get', 'nodes', '-o', 'json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: Array<Record<string, any>> };
    expect(list.kind).toBe('List');
    const n = list.items[0]!;
    expect(n.metadata.labels['node-role.kubernetes.io/control-plane']).toBe('true');
    expect(n.metadata.labels['node-role.kubernetes.io/etcd']).toBeUndefined(); // no cluster-init: no etcd role
    expect(n.metadata.labels['kubernetes.io/hostname']).toBe('kmaster');
    expect(n.metadata.labels['kubernetes.io/arch']).toBe(n.status.nodeInfo.architecture);
    expect(n.status.nodeInfo.kubeletVersion).toBe('v1.31.4+k3s1');
    expect(n.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    expect(n.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
    const table = await server.kubectl('get', 'nodes');
    expect(table.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nkmaster\s+Ready\s+control-plane,master\s+\S+\s+v1\.31\.4\+k3s1\n$/);
  });
});

describe('k3s server without a token', () => {
  it('generates a random 32-hex secret and writes k3s.yaml 0600 by default', async () => {
    const server = await startServer('node-name: solo\n');
    expect(await serverToken(server)).toMatch(/^K10[0-9a-f]{64}::server:[0-9a-f]{32}$/);
    expect(await mode(join(server.root, 'etc/rancher/k3s/k3s.yaml'))).toBe(0o600);
    await server.stop();
  });

  it('refuses to start on existing data with a different configured token', async () => {
    const server = await startServer('node-name: solo2\ntoken: first\n');
    await server.stop();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(server.root, 'etc/rancher/k3s/config.yaml'), 'node-name: solo2\ntoken: second\n');
    const r = await run(['server'], { K3S_STANDIN_ROOT: server.root, K3S_STANDIN_PORT: String(server.port) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bootstrap data already found and encrypted with different token/);
  });
});
