// The k3s stand-in (not Kubernetes) refuses what real k3s refuses; each rule names its k3s source in
// the stand-in's code. Host processes under K3S_STANDIN_ROOT, servers on 127.0.0.1.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, freePort, makeRoot, nodes, run, serverToken, startAgentIn, startServer, waitFor, waitReady, type StandinNode } from './harness.js';

afterAll(cleanupAll);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A unix datagram socket (like systemd's NOTIFY_SOCKET) whose messages are collected. */
function notifySocket(path: string): { messages: () => string; close: () => void } {
  const py = spawn('python3', ['-c', 'import socket,sys\ns=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nprint("bound", flush=True)\nwhile True: print(s.recv(200).decode(), flush=True)', path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  py.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return { messages: () => out, close: () => py.kill('SIGKILL') };
}

describe('the k3s stand-in is as strict as k3s', () => {
  let server: StandinNode & { port: number };
  let url: string;
  let token: string;
  const agentConfig = (name: string, extra = '') => `server: ${url}\ntoken: "${token}"\nnode-name: ${name}\n${extra}`;

  beforeAll(async () => {
    server = await startServer('token: strict-secret\nnode-name: kmaster\nkube-apiserver-arg-typo: x\n');
    url = `https://127.0.0.1:${server.port}`;
    token = await serverToken(server);
  }, 30_000);

  // kubelet ValidateKubeletFlags (cmd/kubelet/app/options/options.go) on k3s's --node-labels.
  it('an agent with a node-label kubelet refuses exits and never registers', async () => {
    const root = await makeRoot(agentConfig('kbad', 'node-label:\n  - node-role.kubernetes.io/worker=true\n'));
    const r = await run(['agent'], { K3S_STANDIN_ROOT: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed to validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: \[node-role.kubernetes.io\/worker\]/);
    expect((await nodes(server)).map((n) => n.metadata.name)).not.toContain('kbad');
  });

  it('accepts labels in the namespaces kubelet allows (node.kubernetes.io/*) and outside kubernetes.io', async () => {
    const agent = startAgentIn(await makeRoot(agentConfig('kgood', 'node-label:\n  - node.kubernetes.io/pool=a\n  - example.com/disk=ssd\n')));
    const n = await waitReady(server, 'kgood');
    expect(n.metadata.labels).toMatchObject({ 'node.kubernetes.io/pool': 'a', 'example.com/disk': 'ssd' });
    await agent.stop();
  });

  // pkg/agent/run.go updateMutableLabels: node-label is merged over the Node's labels on every start.
  it('re-applies node-label on every start, keeps labels set through the API, and taints stay registration-only', async () => {
    const root = await makeRoot(agentConfig('kre', 'node-label:\n  - tier=edge\nnode-taint:\n  - dedicated=gpu:NoSchedule\n'));
    let agent = startAgentIn(root);
    await waitReady(server, 'kre');
    await server.kubectl('label', 'node', 'kre', 'tier=core', 'api-only=yes', '--overwrite');
    expect((await nodes(server)).find((n) => n.metadata.name === 'kre')!.metadata.labels['tier']).toBe('core');
    await agent.stop();
    await writeFile(join(root, 'etc/rancher/k3s/config.yaml'), agentConfig('kre', 'node-label:\n  - tier=edge\nnode-taint:\n  - other=x:NoExecute\n'));
    agent = startAgentIn(root);
    const n = await waitFor('tier back to edge', async () => {
      const found = (await nodes(server)).find((x) => x.metadata.name === 'kre');
      return found?.metadata.labels['tier'] === 'edge' ? found : undefined;
    });
    expect(n.metadata.labels['api-only']).toBe('yes');
    expect(n.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    await agent.stop();
  });

  // pkg/configfilearg/defaultparser.go: unknown config keys are skipped for `server` only.
  it('an agent exits on an unknown or server-only config key; the server skipped its unknown key', async () => {
    for (const [key, value] of [['kubelet-args', '["max-pods=50"]'], ['kube-apiserver-arg', '["x=y"]']] as const) {
      const r = await run(['agent'], { K3S_STANDIN_ROOT: await makeRoot(agentConfig('kflag', `${key}: ${value}\n`)) });
      expect(r.code, key).toBe(1);
      expect(r.stderr).toContain(`flag provided but not defined: -${key}`);
    }
    const r = await run(['agent', '--no-such-flag', 'x'], { K3S_STANDIN_ROOT: await makeRoot(agentConfig('kflag')) });
    expect(r.stderr).toContain('flag provided but not defined: -no-such-flag');
    expect(server.proc!.exitCode).toBeNull();
    expect(server.logs()).toContain('Unknown flag --kube-apiserver-arg-typo found in config.yaml, skipping');
  });

  it('an agent accepts agent flags it does not act on, append keys and aliases', async () => {
    const agent = startAgentIn(await makeRoot(agentConfig('kflags', 'kubelet-arg:\n  - max-pods=50\nkube-proxy-arg+:\n  - v=2\nnode-label+:\n  - extra=yes\n')));
    const n = await waitReady(server, 'kflags');
    expect(n.metadata.labels['extra']).toBe('yes');
    await agent.stop();
  });

  // k3s's agent and kubectl use Go TLS clients that check the server certificate for the dialled name.
  // 127.1 reaches the server (127.0.0.1) but is no name or address in its certificate.
  it('an agent dialling a name the certificate does not cover keeps failing to validate and never registers', async () => {
    const root = await makeRoot(`server: https://127.1:${server.port}\ntoken: "${token}"\nnode-name: kwrongname\n`);
    const agent = startAgentIn(root);
    await waitFor('x509 error', async () => (/Failed to validate connection to cluster.*x509/.test(agent.logs()) ? true : undefined), 10_000);
    expect((await nodes(server)).map((n) => n.metadata.name)).not.toContain('kwrongname');
    await agent.stop();
  });

  it('kubectl refuses a server whose certificate does not cover the kubeconfig\'s host', async () => {
    const kubeconfig = await readFile(join(server.root, 'etc/rancher/k3s/k3s.yaml'), 'utf8');
    const other = join(server.root, 'other.yaml');
    await writeFile(other, kubeconfig.replace(`https://127.0.0.1:${server.port}`, `https://127.1:${server.port}`));
    const r = await server.kubectl('--kubeconfig', other, 'get', 'nodes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unable to connect to the server: tls: failed to verify certificate/);
    await writeFile(other, kubeconfig.replace(`https://127.0.0.1:${server.port}`, `https://localhost:${server.port}`));
    expect((await server.kubectl('--kubeconfig', other, 'get', 'nodes')).code).toBe(0);
  });

  // Type=notify units (install.sh): systemd waits for READY=1 on $NOTIFY_SOCKET.
  it('sends READY=1 to NOTIFY_SOCKET once an agent joined, and never when it cannot start', async () => {
    const good = notifySocket(join(server.root, 'notify-good.sock'));
    const bad = notifySocket(join(server.root, 'notify-bad.sock'));
    await waitFor('sockets bound', async () => (good.messages().includes('bound') && bad.messages().includes('bound') ? true : undefined));
    const agent = startAgentIn(await makeRoot(agentConfig('knotify')), { NOTIFY_SOCKET: join(server.root, 'notify-good.sock') });
    await waitFor('READY=1', async () => (good.messages().includes('READY=1') ? true : undefined));
    const r = await run(['agent'], { K3S_STANDIN_ROOT: await makeRoot(agentConfig('knotify2', 'node-label:\n  - kubernetes.io/role=worker\n')), NOTIFY_SOCKET: join(server.root, 'notify-bad.sock') });
    expect(r.code).toBe(1);
    await sleep(300);
    expect(bad.messages()).not.toContain('READY=1');
    await agent.stop();
    good.close();
    bad.close();
  });

  // k3s pkg/server/router.go: /server-bootstrap needs the k3s:server role; the agent token has not.
  it('the agent token joins an agent but not a server', async () => {
    const withAgentToken = await startServer('token: server-secret\nagent-token: agent-secret\nnode-name: kmain\n');
    const agentToken = (await readFile(join(withAgentToken.root, 'var/lib/rancher/k3s/server/agent-token'), 'utf8')).trim();
    expect(agentToken).toMatch(/^K10[0-9a-f]{64}::node:agent-secret$/);
    const main = `https://127.0.0.1:${withAgentToken.port}`;
    const agent = startAgentIn(await makeRoot(`server: ${main}\ntoken: "${agentToken}"\nnode-name: kagent\n`));
    await waitReady(withAgentToken, 'kagent');
    const r = await run(['server'], { K3S_STANDIN_ROOT: await makeRoot(`server: ${main}\ntoken: "${agentToken}"\nnode-name: kserver2\n`), K3S_STANDIN_PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed to bootstrap cluster data.*token is not valid/);
    await agent.stop();
  });
});
