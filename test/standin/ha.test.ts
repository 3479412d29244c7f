// HA: servers joining a cluster-init server share its CA and token and see one node list.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupAll, freePort, makeRoot, nodes, run, serverToken, startAgent, startServer, waitReady } from './harness.js';

afterAll(cleanupAll);

describe('HA servers (cluster-init + joining servers)', () => {
  it('a second server joins with the token, gets the etcd role and the same cluster view', async () => {
    const first = await startServer('cluster-init: true\ntoken: ha-secret\nnode-name: kmaster1\n');
    const token = await serverToken(first);
    const second = await startServer(`server: https://127.0.0.1:${first.port}\ntoken: "${token}"\nnode-name: kmaster2\n`);

    // Its own token files and k3s.yaml, with the cluster's CA.
    expect(await serverToken(second)).toBe(token);
    const kc = await readFile(join(second.root, 'etc/rancher/k3s/k3s.yaml'), 'utf8');
    expect(kc).toContain(`server: https://127.0.0.1:${second.port}`);
    expect(await readFile(join(second.root, 'var/lib/rancher/k3s/server/tls/server-ca.crt'), 'utf8')).toBe(
      await readFile(join(first.root, 'var/lib/rancher/k3s/server/tls/server-ca.crt'), 'utf8'),
    );

    // An agent joining through the second server is visible from both.
    await startAgent(`server: https://127.0.0.1:${second.port}\ntoken: "${token}"\nnode-name: knode1\n`);
    await waitReady(first, 'knode1');
    for (const s of [first, second]) {
      const list = await nodes(s);
      expect(list.map((n) => n.metadata.name)).toEqual(['kmaster1', 'kmaster2', 'knode1']);
      const roles = (name: string) =>
        Object.keys(list.find((n) => n.metadata.name === name)!.metadata.labels)
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .sort();
      for (const m of ['kmaster1', 'kmaster2']) {
        expect(roles(m)).toEqual([
          'node-role.kubernetes.io/control-plane',
          'node-role.kubernetes.io/etcd',
          'node-role.kubernetes.io/master',
        ]);
      }
      expect(roles('knode1')).toEqual([]);
    }
    // Writes through the second server land in the shared state.
    expect((await second.kubectl('label', 'node', 'knode1', 'zone=a')).code).toBe(0);
    expect((await nodes(first)).find((n) => n.metadata.name === 'knode1')!.metadata.labels['zone']).toBe('a');
  });

  it('a server with a wrong token is refused and writes no token', async () => {
    const first = await startServer('cluster-init: true\ntoken: ha-secret2\nnode-name: kmaster1\n');
    const root = await makeRoot(`server: https://127.0.0.1:${first.port}\ntoken: wrong\nnode-name: kmaster3\n`);
    const r = await run(['server'], { K3S_STANDIN_ROOT: root, K3S_STANDIN_PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed to bootstrap cluster data: .*401 Unauthorized/);
    await expect(readFile(join(root, 'var/lib/rancher/k3s/server/token'))).rejects.toThrow();
    expect((await nodes(first)).map((n) => n.metadata.name)).toEqual(['kmaster1']);
  });
});
