// Agents joining a stand-in server: K10 token checks, Ready via heartbeats, NotReady when they stop.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupAll,
  makeRoot,
  nodes,
  run,
  serverToken,
  startAgent,
  startAgentIn,
  startServer,
  startServerIn,
  waitReady,
  type StandinNode,
} from './harness.js';

afterAll(cleanupAll);

describe('k3s agent', () => {
  let server: StandinNode & { port: number };
  let url: string;

  beforeAll(async () => {
    server = await startServer('cluster-init: true\ntoken: "join-secret"\nnode-name: kmaster\n');
    url = `https://127.0.0.1:${server.port}`;
  }, 30_000);

  const agentConfig = (name: string, token: string, extra = ''): string =>
    `server: ${url}\ntoken: "${token}"\nnode-name: ${name}\n${extra}`;

  it('joins with the full K10 token, shows Ready with its config labels and taints', async () => {
    const agent = await startAgent(
      agentConfig('knode1', await serverToken(server), 'node-label:\n  - "tier=edge"\nnode-taint:\n  - "dedicated=gpu:NoSchedule"\n'),
    );
    const n = await waitReady(server, 'knode1');
    expect(n.metadata.labels['tier']).toBe('edge');
    expect(n.metadata.labels['node-role.kubernetes.io/control-plane']).toBeUndefined();
    expect(n.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(n.status.nodeInfo.kubeletVersion).toBe('v1.31.4+k3s1');
    // The agent keeps the cluster CA it verified, like k3s's agent/server-ca.crt.
    expect(await readFile(join(agent.root, 'var/lib/rancher/k3s/agent/server-ca.crt'), 'utf8')).toBe(
      await readFile(join(server.root, 'var/lib/rancher/k3s/server/tls/server-ca.crt'), 'utf8'),
    );
    expect(agent.logs()).toMatch(/node knode1 joined/);
  });

  it('joins with the bare secret too (K3S_URL / K3S_TOKEN from the environment)', async () => {
    const root = await makeRoot('node-name: knode-env\n');
    const agent = startAgentIn(root, { K3S_URL: url, K3S_TOKEN: 'join-secret' });
    await waitReady(server, 'knode-env');
    await agent.stop();
    expect(agent.logs()).toMatch(/token does not include a CA hash/);
  });

  it('refuses a wrong secret: exits 1 with "token is not valid" and is not listed', async () => {
    const root = await makeRoot(agentConfig('intruder', (await serverToken(server)).replace(/join-secret$/, 'nope')));
    const r = await run(['agent'], { K3S_STANDIN_ROOT: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/level=fatal .*401 Unauthorized: token is not valid/);
    expect(r.stderr).not.toMatch(/join-secret/);
    expect((await nodes(server)).map((n) => n.metadata.name)).not.toContain('intruder');
  });

  it('refuses a token whose CA hash is not the server CA', async () => {
    const wrongHash = `K10${'0'.repeat(64)}::server:join-secret`;
    const root = await makeRoot(agentConfig('intruder2', wrongHash));
    const r = await run(['agent'], { K3S_STANDIN_ROOT: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/token CA hash does not match the Cluster CA certificate hash/);
    expect((await nodes(server)).map((n) => n.metadata.name)).not.toContain('intruder2');
  });

  it('refuses a malformed token', async () => {
    const root = await makeRoot(agentConfig('intruder3', 'K10abc::server:x'));
    const r = await run(['agent'], { K3S_STANDIN_ROOT: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid token CA hash length/);
  });

  it('goes NotReady when its heartbeats stop and Ready again after a restart', async () => {
    const agent = await startAgent(agentConfig('knode2', await serverToken(server)));
    await waitReady(server, 'knode2');
    await agent.stop();
    const down = await waitReady(server, 'knode2', 'Unknown');
    expect(down.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toContain('node.kubernetes.io/unreachable:NoExecute');
    const table = await server.kubectl('get', 'nodes', 'knode2');
    expect(table.stdout).toMatch(/knode2\s+NotReady\s+<none>/);
    // Same root, same /etc/rancher/node/password: the node re-registers.
    const again = await startAgentIn(agent.root);
    await waitReady(server, 'knode2');
    await again.stop();
  });

  it('refuses a second machine with the same node name (node password, like k3s)', async () => {
    const root = await makeRoot(agentConfig('knode1', await serverToken(server)));
    const r = await run(['agent'], { K3S_STANDIN_ROOT: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Node password rejected/);
  });

  it('heartbeats again after the server restarts', async () => {
    await waitReady(server, 'knode1');
    await server.stop();
    server = await startServerIn(server.root, server.port, 'kmaster');
    await waitReady(server, 'knode1');
  });
});
