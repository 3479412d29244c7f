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

  // install.sh sets SYSTEMD_TYPE=notify for both roles; with exec a crash-looping agent looks active.
  it('renders the agent unit with Type=notify, like install.sh, and `k3s agent`', () => {
    const files = buildK3sServiceFiles('agent');
    expect(files.unitPath).toBe('/etc/systemd/system/k3s-agent.service');
    const lines = unitLines(files.unit);
    expect(lines).toContain('Type=notify');
    expect(lines).toContain('EnvironmentFile=-/etc/systemd/system/k3s-agent.service.env');
    expect(lines).toContain('ExecStart=/usr/local/bin/k3s agent');
    expect(lines.filter((l) => l.startsWith('Type='))).toEqual(['Type=notify']);
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
    expect(script).toContain('rm -rf /etc/rancher/k3s /run/k3s /run/flannel /var/lib/rancher/k3s /var/lib/kubelet');
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
    expect(script).toContain('$2 ~ "^/var/lib/rancher/k3s/data/[^/]*/bin/containerd-shim"');
    expect(script).toContain('cni0 flannel.1');
  });

  // install.sh's uninstall leaves /etc/rancher/node: a node re-joining with a new password is
  // refused ("Node password rejected") while its Node object still exists.
  it('uninstall keeps /etc/rancher/node (the node password) like install.sh', () => {
    for (const role of ['server', 'agent'] as const) {
      const rmLines = buildUninstallScript(role).split('\n').filter((l) => /^\s*rm /.test(l));
      expect(rmLines.join('\n')).not.toContain('/etc/rancher/node');
    }
  });

  it('killall puts k3s\'s bundled iptables on PATH after the host\'s (Pi OS Lite has none)', () => {
    expect(buildKillallScript()).toContain('for bin in /var/lib/rancher/k3s/data/*/bin; do');
    expect(buildKillallScript()).toContain('PATH="$PATH:$bin:$bin/aux"');
  });

  /** Runs the killall script's own lines from `from` to `to` in a shell with stubbed tools in PATH. */
  function runFragment(from: RegExp, to: RegExp, stubs: Record<string, string>, prelude = ''): string {
    const lines = buildKillallScript().split('\n');
    const start = lines.findIndex((l) => from.test(l));
    const end = lines.findIndex((l, i) => i > start && to.test(l));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const bin = mkdtempSync(join(dir, 'bin-'));
    for (const [name, body] of Object.entries(stubs)) writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    const script = join(bin, 'fragment.sh');
    writeFileSync(script, `PATH=${bin}:/usr/bin:/bin\n${prelude}\n${lines.slice(start, end + 1).join('\n')}\n`);
    return execFileSync('sh', [script], { encoding: 'utf8' });
  }

  it('killall drops KUBE-, CNI- and flannel rules in any case (FLANNEL-POSTRTG) and keeps the host\'s', () => {
    const rules = ['*nat', ':FLANNEL-POSTRTG - [0:0]', '-A POSTROUTING -j FLANNEL-POSTRTG', ':KUBE-SERVICES - [0:0]', '-A FORWARD -j CNI-FORWARD', '-A INPUT -p tcp --dport 22 -j ACCEPT', 'COMMIT'];
    const out = runFragment(/^for tool in iptables ip6tables/, /^done$/, {
      'iptables-save': `printf '%s\\n' ${rules.map((r) => `'${r}'`).join(' ')}`,
      'iptables-restore': 'cat',
      'ip6tables-save': 'true',
      'ip6tables-restore': 'cat',
    });
    expect(out.trim().split('\n')).toEqual(['*nat', '-A INPUT -p tcp --dport 22 -j ACCEPT', 'COMMIT']);
  });

  it('killall kills the shims and every process below them, not only the shims', () => {
    const ps = [
      '  1     0 /sbin/init',
      ' 10     1 /var/lib/rancher/k3s/data/abc/bin/containerd-shim-runc-v2 -namespace k8s.io',
      ' 11    10 /pause',
      ' 12    11 nginx',
      ' 20     1 /usr/sbin/sshd',
    ];
    const out = runFragment(/^pschildren\(\) \{/, /^fi$/, {
      // ps -e -o ppid= -o pid=  |  ps -e -o pid= -o args=
      ps: `case "$*" in *ppid=*) printf '%s\\n' ${ps.map((l) => `'${l.trim().split(/\s+/).slice(1, 2).concat(l.trim().split(/\s+/)[0]!).join(' ')}'`).join(' ')} ;; *) printf '%s\\n' ${ps.map((l) => { const [pid, , ...args] = l.trim().split(/\s+/); return `'${pid} ${args.join(' ')}'`; }).join(' ')} ;; esac`,
    }, 'kill() { shift; echo "killed $*"; }');
    expect(out.trim()).toBe('killed 10 11 12');
  });
});
