import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCredentials, getFromApi } from '../../src/k3s/api-client.js';
import { FakeTransport } from '../support/fake-transport.js';

/**
 * A loopback HTTPS server shaped like k3s's API (a serving certificate for 127.0.0.1 signed by a server
 * CA, client certificates from a client CA required), and a transport whose forward() is a plain TCP
 * connection to it: what an SSH forwarded channel carries.
 */
const dir = mkdtempSync(join(tmpdir(), 'kb-api-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
const pem = (f: string) => readFileSync(join(dir, f));

function issue(name: string, ca: string, subject: string, san?: string): void {
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  openssl('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
  if (san) writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-out', `${name}.crt`, ...(san ? ['-extfile', `${name}.ext`] : []));
}

function selfSigned(name: string, subject: string): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', subject);
}

let server: Server;
let port = 0;
const seen: { path?: string; cn?: string }[] = [];

function k3sYaml(p: number, clientName = 'admin'): string {
  const b64 = (f: string) => pem(f).toString('base64');
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64('server-ca.crt')}`,
    `    server: https://127.0.0.1:${p}`,
    '  name: default',
    'contexts:',
    '- context: {cluster: default, user: default}',
    '  name: default',
    'current-context: default',
    'kind: Config',
    'users:',
    '- name: default',
    '  user:',
    `    client-certificate-data: ${b64(`${clientName}.crt`)}`,
    `    client-key-data: ${b64(`${clientName}.key`)}`,
    '',
  ].join('\n');
}

const forwarding = () => {
  const t = new FakeTransport('kmaster');
  t.forward = async (host, p) => {
    expect([host, p]).toEqual(['127.0.0.1', port]);
    return connect(port, '127.0.0.1');
  };
  return t;
};

beforeAll(async () => {
  selfSigned('server-ca', '/CN=k3s-server-ca@1');
  selfSigned('client-ca', '/CN=k3s-client-ca@1');
  selfSigned('other-ca', '/CN=someone-else');
  issue('serving', 'server-ca', '/CN=kube-apiserver', 'IP:127.0.0.1,DNS:kubernetes');
  issue('admin', 'client-ca', '/O=system:masters/CN=system:admin');
  issue('stranger', 'other-ca', '/CN=stranger');
  server = createServer({ key: pem('serving.key'), cert: pem('serving.crt'), ca: pem('client-ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const cn = String((req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN);
    seen.push({ path: req.url, cn });
    if (req.url === '/api/v1/nodes') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"NodeList","items":[{"metadata":{"name":"kmaster"}}]}');
    } else {
      res.writeHead(404).end('{"kind":"Status","code":404}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('the API through the node connection (k3s.yaml credentials, a forwarded channel)', () => {
  it('reads the node list with the admin client certificate, checking the server against the CA', async () => {
    const body = await getFromApi(forwarding(), k3sYaml(port), '/api/v1/nodes');
    expect(JSON.parse(body).items[0].metadata.name).toBe('kmaster');
    expect(seen.at(-1)).toEqual({ path: '/api/v1/nodes', cn: 'system:admin' });
  });

  it('a non-200 answer is an error naming the node and the path', async () => {
    await expect(getFromApi(forwarding(), k3sYaml(port), '/api/v1/nope')).rejects.toThrow("GET /api/v1/nope on kmaster's API answered 404");
  });

  it('a server whose certificate the k3s.yaml CA did not sign is refused', async () => {
    const wrongCa = k3sYaml(port).replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${pem('other-ca.crt').toString('base64')}`);
    await expect(getFromApi(forwarding(), wrongCa, '/api/v1/nodes')).rejects.toThrow(/certificate/);
  });

  it('a client certificate the API does not know is refused by it', async () => {
    await expect(getFromApi(forwarding(), k3sYaml(port, 'stranger'), '/api/v1/nodes')).rejects.toThrow();
  });

  it('a transport that cannot forward says so (the caller falls back to kubectl)', async () => {
    await expect(getFromApi(new FakeTransport('kmaster'), k3sYaml(port), '/api/v1/nodes')).rejects.toThrow('the connection to kmaster cannot forward a channel');
  });

  it('reads host, port and credentials from k3s.yaml; refuses one without them', () => {
    const c = apiCredentials(k3sYaml(6443));
    expect([c.host, c.port, c.ca.toString()]).toEqual(['127.0.0.1', 6443, pem('server-ca.crt').toString()]);
    expect(() => apiCredentials('apiVersion: v1\nclusters: []\n')).toThrow('k3s.yaml names no cluster or no user');
    expect(() => apiCredentials(k3sYaml(6443).replace(/client-key-data: \S+/, 'client-key-data: ""'))).toThrow('k3s.yaml has no client-key-data');
  });
});
