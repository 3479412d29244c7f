import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../src/facts/types.js';
import type { NodeChange } from '../../src/change/types.js';
import { normalizeK3sVersion, planK3sInstall, type K3sInstallInputs } from '../../src/k3s/plan.js';
import { TOKEN, facts, inventory } from './fixtures.js';

const BINARY = { path: '/cache/v1.31.4+k3s1/k3s-arm64', sha256: 'a'.repeat(64) };
const JOIN: K3sInstallInputs = { serverUrl: 'https://10.77.0.11:6443', token: TOKEN, binary: BINARY };
const REGISTRATION = '/etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function summary(changes: NodeChange[]): string[] {
  return changes.map((c) => (c.kind === 'command' ? `command: ${c.description}` : `${c.kind}: ${c.kind === 'upload' ? c.remotePath : c.path}`));
}

/** Applies a plan to a pretend node and reads its facts back, as the facts script would. */
function applyToNode(before: NodeFacts, changes: NodeChange[], role: 'server' | 'agent', binarySha: string): NodeFacts {
  const files: Record<string, string> = {};
  let active = before.k3s.serviceActive;
  for (const c of changes) {
    if (c.kind === 'file') files[c.path] = c.content;
    if (c.kind === 'command' && /systemctl (start|restart)/.test(c.command)) active = true;
  }
  const unitPath = role === 'server' ? '/etc/systemd/system/k3s.service' : '/etc/systemd/system/k3s-agent.service';
  const uploaded = changes.some((c) => c.kind === 'upload');
  const config = files['/etc/rancher/k3s/config.yaml'];
  const unit = files[unitPath];
  const removed = changes.some((c) => c.kind === 'command' && c.command === `rm -f ${REGISTRATION}`);
  const registration = removed ? null : (files[REGISTRATION] ?? before.files[REGISTRATION]?.content ?? null);
  const after = facts({
    installed: true,
    role,
    version: uploaded ? 'k3s version v1.31.4+k3s1 (abcdef12)' : before.k3s.version,
    serviceActive: active,
    configSha256: config ? sha(config) : before.k3s.configSha256,
    unitSha256: unit ? sha(unit) : before.k3s.unitSha256,
    binarySha256: uploaded ? binarySha : before.k3s.binarySha256,
  });
  // The facts script always lists the registration drop-in (content null when absent).
  return { ...after, files: { ...after.files, [REGISTRATION]: { path: REGISTRATION, content: registration } } };
}

describe('planK3sInstall', () => {
  it('installs an agent: upload, symlinks, scripts, config (secret, 0600), registration, units, start', () => {
    const inv = inventory();
    const plan = planK3sInstall(inv.nodes[1]!, facts(), inv, JOIN);
    expect(plan.action).toBe('install');
    expect(plan.restartNeeded).toBe(false);
    expect(summary(plan.changes)).toEqual([
      'upload: /usr/local/bin/k3s',
      'command: link kubectl, crictl, ctr to k3s in /usr/local/bin',
      'file: /usr/local/bin/k3s-killall.sh',
      'file: /usr/local/bin/k3s-agent-uninstall.sh',
      'file: /etc/rancher/k3s/config.yaml',
      'file: /etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml',
      'file: /etc/systemd/system/k3s-agent.service',
      'file: /etc/systemd/system/k3s-agent.service.env',
      'command: systemctl daemon-reload',
      'command: enable and start k3s-agent',
    ]);
    const upload = plan.changes[0]!;
    expect(upload).toMatchObject({ kind: 'upload', localPath: BINARY.path, sha256: BINARY.sha256, mode: 0o755 });
    const config = plan.changes[4]!;
    expect(config).toMatchObject({ kind: 'file', mode: 0o600, secret: true, before: null });
    expect(config.description).not.toContain(TOKEN);
    expect(plan.changes.at(-1)).toMatchObject({ command: 'systemctl enable k3s-agent && systemctl start --no-block k3s-agent' });
  });

  it('converges: planning again after applying the plan gives zero changes', () => {
    const inv = inventory();
    for (const [i, join] of [[0, { clusterInit: false, binary: BINARY }], [1, JOIN], [2, JOIN]] as const) {
      const node = inv.nodes[i]!;
      const first = planK3sInstall(node, facts(), inv, join);
      const after = applyToNode(facts(), first.changes, node.role, BINARY.sha256);
      const second = planK3sInstall(node, after, inv, join);
      expect(second.changes, node.name).toEqual([]);
      expect(second.action).toBe('unchanged');
      expect(second.restartNeeded).toBe(false);
    }
  });

  // k3s re-applies node-label on every start (pkg/agent/run.go, updateMutableLabels): a drop-in left
  // at the install-time labels would flip a relabelled node back at the next restart.
  it('keeps the registration drop-in in step with changed labels, without restarting k3s', () => {
    const inv = inventory();
    const node = inv.nodes[1]!;
    const installed = applyToNode(facts(), planK3sInstall(node, facts(), inv, JOIN).changes, 'agent', BINARY.sha256);
    const relabelled = { ...node, labels: { tier: 'core' }, taints: ['gpu=yes:NoSchedule'] };
    const plan = planK3sInstall(relabelled, installed, inv, JOIN);
    expect(summary(plan.changes)).toEqual(['file: /etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml']);
    expect(plan.restartNeeded).toBe(false);
    expect(plan.changes[0]).toMatchObject({ content: expect.stringContaining('- tier=core') });
    const after = applyToNode(installed, plan.changes, 'agent', BINARY.sha256);
    expect(planK3sInstall(relabelled, after, inv, JOIN).changes).toEqual([]);
    const unlabelled = { ...node, labels: {}, taints: [] };
    expect(summary(planK3sInstall(unlabelled, after, inv, JOIN).changes)).toEqual([
      'command: remove /etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml (no labels or taints left)',
    ]);
  });

  // kubelet exits on --node-labels in kubernetes.io it does not own (cmd/kubelet/app/options/options.go).
  it('keeps labels kubelet refuses out of node-label (they go through the API)', () => {
    const inv = inventory();
    const node = { ...inv.nodes[1]!, labels: { 'node-role.kubernetes.io/worker': 'true', 'node.kubernetes.io/pool': 'a', tier: 'edge' } };
    const file = planK3sInstall(node, facts(), inv, JOIN).changes.find((c) => c.kind === 'file' && c.path === REGISTRATION);
    expect(file).toMatchObject({ content: expect.stringContaining('node-label:\n  - node.kubernetes.io/pool=a\n  - tier=edge\n') });
    expect(file && file.kind === 'file' ? file.content : '').not.toContain('node-role.kubernetes.io');
  });

  // The first server's config holds no join token, but may hold the agent token or a secret arg:
  // the change must be marked secret so its diff shows no values.
  it('marks the first server\'s config secret when it holds the agent token or a secret-valued arg', () => {
    const inv = inventory({ k3s: { serverArgs: { 'datastore-endpoint': { file: 'db.dsn' } } } });
    const plan = planK3sInstall(inv.nodes[0]!, facts(), inv, { binary: BINARY, secretArgs: { 'datastore-endpoint': 'postgres://k3s:pw@db/k3s' } });
    expect(plan.changes.find((c) => c.kind === 'file' && c.path === '/etc/rancher/k3s/config.yaml')).toMatchObject({ secret: true });
    const plain = inventory();
    const withAgentToken = planK3sInstall(plain.nodes[0]!, facts(), plain, { binary: BINARY, agentToken: 'a'.repeat(32) });
    expect(withAgentToken.changes.find((c) => c.kind === 'file' && c.path === '/etc/rancher/k3s/config.yaml')).toMatchObject({ secret: true });
  });

  it('reconfigures and restarts when the config changes (a new disable list)', () => {
    const inv = inventory();
    const server = inv.nodes[0]!;
    const installed = applyToNode(facts(), planK3sInstall(server, facts(), inv, { binary: BINARY }).changes, 'server', BINARY.sha256);
    const changed = inventory({ k3s: { disable: ['traefik', 'servicelb'] } });
    const plan = planK3sInstall(server, installed, changed, { binary: BINARY });
    expect(plan.action).toBe('reconfigure');
    expect(plan.restartNeeded).toBe(true);
    expect(summary(plan.changes)).toEqual(['file: /etc/rancher/k3s/config.yaml', 'command: restart k3s']);
    expect(plan.changes[1]).toMatchObject({ command: 'systemctl restart --no-block k3s' });
    expect(plan.changes[0]).toMatchObject({ secret: false });
  });

  it('upgrades when the binary differs: upload and restart, config untouched', () => {
    const inv = inventory();
    const node = inv.nodes[2]!;
    const installed = applyToNode(facts(), planK3sInstall(node, facts(), inv, JOIN).changes, 'agent', BINARY.sha256);
    const newer = inventory({ k3s: { version: 'v1.32.1+k3s1' } });
    const plan = planK3sInstall(node, installed, newer, { ...JOIN, binary: { path: '/cache/v1.32.1+k3s1/k3s-arm64', sha256: 'b'.repeat(64) } });
    expect(plan.action).toBe('upgrade');
    expect(plan.restartNeeded).toBe(true);
    expect(plan.differs).toEqual({ binary: true, config: false, unit: false });
    expect(summary(plan.changes)).toEqual([
      'upload: /usr/local/bin/k3s',
      'command: link kubectl, crictl, ctr to k3s in /usr/local/bin',
      'file: /usr/local/bin/k3s-killall.sh',
      'file: /usr/local/bin/k3s-agent-uninstall.sh',
      'command: restart k3s-agent',
    ]);
  });

  it('compares versions when the binary hash is unknown (binary.source node)', () => {
    const inv = inventory({ k3s: { binary: { source: 'node' } } });
    const node = inv.nodes[1]!;
    const install = planK3sInstall(node, facts({}, 'armv7l'), inv, { serverUrl: JOIN.serverUrl, token: TOKEN });
    const download = install.changes[0]!;
    expect(download.kind).toBe('command');
    expect(download.kind === 'command' && download.command).toContain('https://github.com/k3s-io/k3s/releases/download/v1.31.4%2Bk3s1/k3s-armhf');
    const installed = applyToNode(facts(), install.changes, 'agent', 'ignored');
    const same = { ...installed, k3s: { ...installed.k3s, version: 'k3s version v1.31.4+k3s1 (abc)', binarySha256: 'c'.repeat(64) } };
    expect(planK3sInstall(node, same, inv, { serverUrl: JOIN.serverUrl, token: TOKEN }).changes).toEqual([]);
  });

  it('starts a node whose files are right but whose service is stopped', () => {
    const inv = inventory();
    const node = inv.nodes[1]!;
    const installed = applyToNode(facts(), planK3sInstall(node, facts(), inv, JOIN).changes, 'agent', BINARY.sha256);
    const stopped = { ...installed, k3s: { ...installed.k3s, serviceActive: false } };
    const plan = planK3sInstall(node, stopped, inv, JOIN);
    expect(plan.action).toBe('start');
    expect(summary(plan.changes)).toEqual(['command: enable and start k3s-agent']);
  });

  it('rewrites the config when the join token changed', () => {
    const inv = inventory();
    const node = inv.nodes[1]!;
    const installed = applyToNode(facts(), planK3sInstall(node, facts(), inv, JOIN).changes, 'agent', BINARY.sha256);
    const plan = planK3sInstall(node, installed, inv, { ...JOIN, token: `${TOKEN}x` });
    expect(plan.action).toBe('reconfigure');
    expect(summary(plan.changes)).toEqual(['file: /etc/rancher/k3s/config.yaml', 'command: restart k3s-agent']);
  });

  it('compares the uninstall scripts with their content when the facts carry them', () => {
    const inv = inventory();
    const node = inv.nodes[1]!;
    const first = planK3sInstall(node, facts(), inv, JOIN);
    const installed = applyToNode(facts(), first.changes, 'agent', BINARY.sha256);
    const scripts = Object.fromEntries(
      first.changes.filter((c) => c.kind === 'file' && c.path.endsWith('.sh')).map((c) => [c.kind === 'file' ? c.path : '', { path: c.kind === 'file' ? c.path : '', content: c.kind === 'file' ? c.content : '' }]),
    );
    expect(Object.keys(scripts)).toEqual(['/usr/local/bin/k3s-killall.sh', '/usr/local/bin/k3s-agent-uninstall.sh']);
    expect(planK3sInstall(node, { ...installed, files: scripts }, inv, JOIN).changes).toEqual([]);
    const outdated = { ...scripts, '/usr/local/bin/k3s-killall.sh': { path: '/usr/local/bin/k3s-killall.sh', content: '#!/bin/sh\nold\n' } };
    const plan = planK3sInstall(node, { ...installed, files: outdated }, inv, JOIN);
    expect(summary(plan.changes)).toEqual(['file: /usr/local/bin/k3s-killall.sh']);
    expect(plan.changes[0]).toMatchObject({ before: '#!/bin/sh\nold\n', mode: 0o755 });
    expect(plan.restartNeeded).toBe(false);
    expect(plan.action).toBe('reconfigure');
  });

  it('keeps the token out of everything but the secret config change', () => {
    const inv = inventory({ ha: true });
    for (const node of inv.nodes.slice(1)) {
      const plan = planK3sInstall(node, facts(), inv, JOIN);
      const shown = plan.changes.map((c) => (c.kind === 'file' && c.secret ? c.description : JSON.stringify(c)));
      expect(shown.join('\n')).not.toContain('5f1e9c2a7b3d4e6f8a0b1c2d3e4f5a6b');
      expect(plan.changes.filter((c) => c.kind === 'file' && c.content.includes(TOKEN)).map((c) => c.kind === 'file' && c.secret)).toEqual([true]);
    }
  });

  it('refuses to turn an agent into a server in place', () => {
    const inv = inventory();
    const refuse = () => planK3sInstall(inv.nodes[0]!, facts({ installed: true, role: 'agent', serviceActive: true }), inv, {});
    expect(refuse).toThrow('kmaster runs a k3s agent, but the inventory makes it a server');
    expect(refuse).toThrow(expect.objectContaining({ hint: expect.stringContaining('kbootstrap remove-node kmaster') }));
  });

  it('uploads air-gap images next to the binary on install', () => {
    const inv = inventory({ k3s: { binary: { source: 'airgap', path: '/x/k3s', images: '/x/k3s-airgap-images-arm64.tar.zst' } } });
    const plan = planK3sInstall(inv.nodes[0]!, facts(), inv, { binary: BINARY, images: { path: '/x/k3s-airgap-images-arm64.tar.zst', sha256: 'd'.repeat(64) } });
    expect(plan.changes[1]).toMatchObject({ kind: 'upload', remotePath: '/var/lib/rancher/k3s/agent/images/k3s-airgap-images-arm64.tar.zst' });
  });
});

describe('normalizeK3sVersion', () => {
  it('takes the version out of `k3s --version`', () => {
    expect(normalizeK3sVersion('k3s version v1.31.4+k3s1 (a1b2c3d4)\ngo version go1.22.9')).toBe('v1.31.4+k3s1');
    expect(normalizeK3sVersion(undefined)).toBeUndefined();
  });
});
