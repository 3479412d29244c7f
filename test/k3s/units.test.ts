import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildKillallScript, buildUninstallCommand, buildUninstallScript, uninstallScriptPath } from '../../src/k3s/uninstall.js';
import { buildK3sServiceFiles, unitSha256 } from '../../src/k3s/units.js';

function unitLines(unit: string): string[] {
  return unit.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('k3s service units', () => {
  it('renders the server unit like the install script does', () => {
    const files = buildK3sServiceFiles('server');
    expect(files.service).toBe('k3s');
    expect(files.unitPath).toBe('/etc/systemd/system/k3s.service');
    expect(files.envPath).toBe('/etc/systemd/system/k3s.service.env');
    expect(unitLines(files.unit)).toEqual([
      '[Unit]',
      'Description=Lightweight Kubernetes (server)',
      'Documentation=https://k3s.io',
      'Wants=network-online.target',
      'After=network-online.target',
      '[Install]',
      'WantedBy=multi-user.target',
      '[Service]',
      'Type=notify',
      'EnvironmentFile=-/etc/default/%N',
      'EnvironmentFile=-/etc/sysconfig/%N',
      'EnvironmentFile=-/etc/systemd/system/k3s.service.env',
      'KillMode=process',
      'Delegate=yes',
      'LimitNOFILE=1048576',
      'LimitNPROC=infinity',
      'LimitCORE=infinity',
      'TasksMax=infinity',
      'TimeoutStartSec=0',
      'Restart=always',
      'RestartSec=5s',
      'ExecStartPre=-/sbin/modprobe br_netfilter',
      'ExecStartPre=-/sbin/modprobe overlay',
      'ExecStart=/usr/local/bin/k3s server',
    ]);
  });

  it('renders the agent unit with Type=exec and `k3s agent`', () => {
    const files = buildK3sServiceFiles('agent');
    expect(files.unitPath).toBe('/etc/systemd/system/k3s-agent.service');
    const lines = unitLines(files.unit);
    expect(lines).toContain('Type=exec');
    expect(lines).toContain('EnvironmentFile=-/etc/systemd/system/k3s-agent.service.env');
    expect(lines).toContain('ExecStart=/usr/local/bin/k3s agent');
    expect(lines).not.toContain('Type=notify');
  });

  it('keeps the env file free of settings (the token lives in config.yaml, mode 0600)', () => {
    const env = buildK3sServiceFiles('agent').env;
    expect(env.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
  });

  it('hashes the unit alone, and differently per role', () => {
    const server = buildK3sServiceFiles('server');
    expect(unitSha256(server)).toMatch(/^[0-9a-f]{64}$/);
    expect(unitSha256(server)).not.toBe(unitSha256(buildK3sServiceFiles('agent')));
  });
});

describe('uninstall scripts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-uninstall-'));
  function syntaxOk(script: string): void {
    const file = join(dir, `s${Math.random()}.sh`);
    writeFileSync(file, script);
    execFileSync('sh', ['-n', file]);
  }

  it('are valid shell', () => {
    syntaxOk(buildKillallScript());
    syntaxOk(buildUninstallScript('server'));
    syntaxOk(buildUninstallScript('agent'));
  });

  it('remove the server service, units, symlinks, binary and k3s data but not kbootstrap backups', () => {
    const script = buildUninstallScript('server');
    expect(script).toContain('systemctl disable k3s ');
    expect(script).toContain('rm -f /etc/systemd/system/k3s.service /etc/systemd/system/k3s.service.env');
    expect(script).toContain('for name in kubectl crictl ctr ; do');
    expect(script).toContain('rm -rf /etc/rancher/k3s /etc/rancher/node /run/k3s /run/flannel /var/lib/rancher/k3s /var/lib/kubelet');
    expect(script).toContain('rm -f /usr/local/bin/k3s /usr/local/bin/k3s-killall.sh');
    expect(script).toContain('/usr/local/bin/k3s-killall.sh; fi');
    expect(script).not.toContain('/var/lib/kbootstrap');
  });

  it('name the agent service for agents', () => {
    const script = buildUninstallScript('agent');
    expect(script).toContain('systemctl disable k3s-agent ');
    expect(script).toContain('rm -f /etc/systemd/system/k3s-agent.service /etc/systemd/system/k3s-agent.service.env');
    expect(uninstallScriptPath('agent')).toBe('/usr/local/bin/k3s-agent-uninstall.sh');
    expect(buildUninstallCommand('agent')).toBe('if [ -x /usr/local/bin/k3s-agent-uninstall.sh ]; then /usr/local/bin/k3s-agent-uninstall.sh; fi');
  });

  it('killall stops both services and cleans interfaces and iptables rules', () => {
    const script = buildKillallScript();
    expect(script).toContain('for unit in k3s k3s-agent ; do');
    expect(script).toContain("pgrep -f '/var/lib/rancher/k3s/data/[^/]*/bin/containerd-shim'");
    expect(script).toContain('cni0 flannel.1');
    expect(script).toContain('grep -v -e KUBE- -e CNI- -e flannel');
  });
});
