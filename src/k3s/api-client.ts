import { request } from 'node:http';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import { isMap } from 'yaml';
import { parseKubeconfig, sectionItems } from '../kubeconfig/document.js';
import type { Transport } from '../ssh/transport.js';

/** Where k3s writes the admin kubeconfig (install.sh, K3S_KUBECONFIG_MODE). */
export const K3S_YAML_PATH = '/etc/rancher/k3s/k3s.yaml';

/**
 * A GET on the server's Kubernetes API through the node's own SSH connection (a forwarded channel to
 * the address in k3s.yaml, 127.0.0.1:6443 by default), with the admin credentials k3s wrote there. No
 * process starts on the node: what `k3s kubectl get ... -o json` answers, without kubectl's start
 * (about a second on a Pi, several under emulation).
 */
export async function getFromApi(t: Transport, k3sYaml: string, path: string, timeoutMs = 10_000): Promise<string> {
  if (!t.forward) throw new Error(`the connection to ${t.node} cannot forward a channel`);
  const creds = apiCredentials(k3sYaml);
  const channel = await t.forward(creds.host, creds.port);
  return new Promise<string>((resolve, reject) => {
    const tls = tlsConnect({
      socket: channel,
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
      // k3s's serving certificate names 127.0.0.1 (and the node's addresses) as IP SANs; SNI takes no IP.
      checkServerIdentity: (_name, cert) => checkServerIdentity(creds.host, cert),
    });
    const req = request({ createConnection: () => tls, method: 'GET', path, headers: { Accept: 'application/json', Host: `${creds.host}:${creds.port}` }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`GET ${path} on ${t.node}'s API answered ${res.statusCode ?? '?'}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on ${t.node}'s API: no answer in ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  }).finally(() => channel.destroy());
}

interface ApiCredentials {
  host: string;
  port: number;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** The first cluster and user of a k3s.yaml (k3s writes one of each, named `default`). */
export function apiCredentials(k3sYaml: string): ApiCredentials {
  const doc = parseKubeconfig(k3sYaml, 'k3s.yaml');
  const cluster = sectionItems(doc, 'clusters')[0]?.get('cluster');
  const user = sectionItems(doc, 'users')[0]?.get('user');
  if (!isMap(cluster) || !isMap(user)) throw new Error('k3s.yaml names no cluster or no user');
  const field = (map: typeof cluster, key: string) => {
    const v = map.get(key);
    if (typeof v !== 'string' || v === '') throw new Error(`k3s.yaml has no ${key}`);
    return v;
  };
  const url = new URL(field(cluster, 'server'));
  if (url.protocol !== 'https:') throw new Error(`k3s.yaml's server is not https: ${url.protocol}`);
  const data = (map: typeof cluster, key: string) => Buffer.from(field(map, key), 'base64');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || 443),
    ca: data(cluster, 'certificate-authority-data'),
    cert: data(user, 'client-certificate-data'),
    key: data(user, 'client-key-data'),
  };
}
