// The k3s stand-in on real lab nodes (systemd-nspawn, own network namespaces, systemd as PID 1):
// a server under a Type=notify k3s.service, an agent joining it over the lab bridge, a wrong token refused.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { standinTestRootfs } from '../test-rootfs.js';

const isRoot = process.getuid?.() === 0;
const INDEX = Number(process.env['KBOOTSTRAP_LAB_INDEX'] ?? 0);
/**
 * arm64 (emulated, like a Pi) by default; STANDIN_LAB_ARCH=amd64 runs natively and faster.
 * STANDIN_LAB_VARIANT=bullseye: python 3.9 and OpenSSL 1.1.1, the oldest the stand-in supports.
 */
const { variant: VARIANT, arch: ARCH } = standinTestRootfs();
const STANDIN = fileURLToPath(new URL('./k3s-standin', import.meta.url));
const TOKEN_SECRET = 'lab-join-secret';

/** Minimal units in the shape of k3s's own (kbootstrap's real templates are tested elsewhere). */
const unit = (role: 'server' | 'agent'): string => `[Unit]
Description=k3s ${role} (kbootstrap lab stand-in)
Wants=network-online.target
After=network-online.target

[Service]
Type=notify
ExecStart=/usr/local/bin/k3s ${role}
KillMode=process
TimeoutStartSec=300
Restart=always
RestartSec=5s

[Install]
WantedBy=multi-user.target
`;

/** A shell heredoc that writes `text` to `path` verbatim. */
const writeCmd = (path: string, text: string, mode = '0644'): string =>
  `mkdir -p "$(dirname ${path})" && cat > ${path} <<'KBOOTSTRAP_EOF'\n${text}KBOOTSTRAP_EOF\nchmod ${mode} ${path}`;

const SKIP_REASON = 'lab tests need root (network namespaces, mounts, systemd-nspawn)';

describe.skipIf(!isRoot)(`k3s stand-in on lab nodes (${VARIANT} ${ARCH})${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let lab: Lab;
  let masterIp: string;
  let nodeIp: string;

  const sh = async (node: string, cmd: string, timeoutMs = 300_000): Promise<string> => {
    const r = await lab.exec(node, cmd, timeoutMs);
    if (r.code !== 0) throw new Error(`${node}: ${cmd.split('\n')[0]} -> exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  const nodesJson = async (): Promise<Array<Record<string, any>>> =>
    (JSON.parse(await sh('kmaster', 'kubectl get nodes -o json')) as { items: Array<Record<string, any>> }).items;

  const ready = (n: Record<string, any> | undefined): string | undefined =>
    n?.status.conditions.find((c: { type: string }) => c.type === 'Ready')?.status;

  async function waitUntil<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  beforeAll(async () => {
    lab = await startLab({ nodes: [{ name: 'kmaster', arch: ARCH, variant: VARIANT }, { name: 'knode1', arch: ARCH, variant: VARIANT }], index: INDEX });
    // The stand-in needs systemd and an address, not SSH (emulated arm64 nodes boot slowly).
    for (const n of ['kmaster', 'knode1']) {
      await waitUntil(`systemd on ${n}`, async () => {
        const r = await lab.exec(n, 'systemctl is-system-running', 30_000);
        return /^(running|degraded)/.test(r.stdout) ? true : undefined;
      }, 600_000);
    }
    [masterIp, nodeIp] = await Promise.all([lab.ip('kmaster'), lab.ip('knode1')]);
    // Installed as kbootstrap installs the real binary; gzip+base64 keeps it inside one argv string.
    const payload = gzipSync(readFileSync(STANDIN)).toString('base64').replace(/(.{76})/g, '$1\n');
    for (const node of ['kmaster', 'knode1']) {
      await sh(
        node,
        `base64 -d <<'KBOOTSTRAP_EOF' | gunzip > /usr/local/bin/k3s\n${payload}\nKBOOTSTRAP_EOF\n` +
          'chmod 0755 /usr/local/bin/k3s && ln -sf k3s /usr/local/bin/kubectl',
      );
    }
  }, 1_500_000);

  afterAll(async () => {
    await lab?.down();
  });

  it('installs as /usr/local/bin/k3s and reports its version', async () => {
    expect(await sh('knode1', 'k3s --version')).toMatch(/^k3s version v1\.31\.4\+k3s1 \(kbootstrap lab stand-in, not Kubernetes\)\n/);
  });

  it('runs the server under a Type=notify k3s.service and lists itself Ready with its lab address', async () => {
    const config =
      `cluster-init: true\ntoken: "${TOKEN_SECRET}"\nnode-name: kmaster\nnode-ip: ${masterIp}\n` +
      `write-kubeconfig-mode: "0600"\ntls-san:\n  - ${masterIp}\n`;
    await sh('kmaster', writeCmd('/etc/rancher/k3s/config.yaml', config, '0600'));
    await sh('kmaster', writeCmd('/etc/systemd/system/k3s.service', unit('server')));
    // With Type=notify this returns only after the stand-in sent READY=1.
    await sh('kmaster', 'systemctl daemon-reload && systemctl enable --now k3s.service');
    expect((await sh('kmaster', 'systemctl is-active k3s.service')).trim()).toBe('active');
    expect(await sh('kmaster', 'stat -c %a /var/lib/rancher/k3s/server/token /etc/rancher/k3s/k3s.yaml')).toBe('600\n600\n');
    expect(await sh('kmaster', 'cat /var/lib/rancher/k3s/server/node-token')).toMatch(
      new RegExp(`^K10[0-9a-f]{64}::server:${TOKEN_SECRET}\\n$`),
    );
    const me = (await nodesJson()).find((n) => n.metadata.name === 'kmaster');
    expect(ready(me)).toBe('True');
    expect(me!.status.addresses).toContainEqual({ type: 'InternalIP', address: masterIp });
    expect(me!.metadata.labels['node-role.kubernetes.io/etcd']).toBe('true');
  });

  it('joins an agent with the right token over the lab network (k3s-agent.service), Ready on the server', async () => {
    const token = (await sh('kmaster', 'cat /var/lib/rancher/k3s/server/token')).trim();
    const config = `server: https://${masterIp}:6443\ntoken: "${token}"\nnode-name: knode1\n`;
    await sh('knode1', writeCmd('/etc/rancher/k3s/config.yaml', config, '0600'));
    await sh('knode1', writeCmd('/etc/systemd/system/k3s-agent.service', unit('agent')));
    await sh('knode1', 'systemctl daemon-reload && systemctl enable --now k3s-agent.service');
    const n = await waitUntil('knode1 Ready', async () => {
      const x = (await nodesJson()).find((y) => y.metadata.name === 'knode1');
      return ready(x) === 'True' ? x : undefined;
    });
    expect(n.status.addresses).toContainEqual({ type: 'InternalIP', address: nodeIp });
    const arch = (await sh('knode1', 'uname -m')).trim() === 'aarch64' ? 'arm64' : 'amd64';
    expect(n.metadata.labels['kubernetes.io/arch']).toBe(arch);
    expect(await sh('kmaster', 'kubectl get nodes')).toMatch(/knode1\s+Ready\s+<none>\s/);
  });

  it('refuses an agent with a wrong token: exit 1, "token is not valid", not listed', async () => {
    const bad = `server: https://${masterIp}:6443\ntoken: "K10${'0'.repeat(64)}::server:${TOKEN_SECRET}"\nnode-name: knode-bad\n`;
    await sh('knode1', writeCmd('/tmp/bad-hash.yaml', bad, '0600'));
    const wrongHash = await lab.exec('knode1', 'K3S_CONFIG_FILE=/tmp/bad-hash.yaml timeout 120 k3s agent', 180_000);
    expect(wrongHash.code).toBe(1);
    expect(wrongHash.stderr).toMatch(/token CA hash does not match the Cluster CA certificate hash/);

    const wrongSecret = await lab.exec(
      'knode1',
      `K3S_CONFIG_FILE=/nonexistent timeout 120 k3s agent --server https://${masterIp}:6443 --token not-the-secret --node-name knode-bad`,
      180_000,
    );
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stderr).toMatch(/401 Unauthorized: token is not valid/);
    expect((await nodesJson()).map((n) => n.metadata.name)).toEqual(['kmaster', 'knode1']);
  });

  it('marks the agent NotReady once k3s-agent.service stops', async () => {
    await sh('knode1', 'systemctl stop k3s-agent.service');
    await waitUntil(
      'knode1 NotReady',
      async () => (ready((await nodesJson()).find((y) => y.metadata.name === 'knode1')) === 'Unknown' ? true : undefined),
      120_000,
    );
    expect(await sh('kmaster', 'kubectl get nodes knode1')).toMatch(/knode1\s+NotReady\s/);
  });
});

