import { K3S_BINARY_PATH, K3S_SYMLINKS, buildK3sServiceFiles, type K3sRole } from './units.js';
import { renderTemplate } from '../templates.js';

export const K3S_DATA_DIR = '/var/lib/rancher/k3s';
export const K3S_KILLALL_PATH = '/usr/local/bin/k3s-killall.sh';

export function uninstallScriptPath(role: K3sRole): string {
  return role === 'server' ? '/usr/local/bin/k3s-uninstall.sh' : '/usr/local/bin/k3s-agent-uninstall.sh';
}

/** /usr/local/bin/k3s-killall.sh: stops k3s, its containers, mounts, interfaces and iptables rules. */
export function buildKillallScript(): string {
  return renderTemplate('k3s/k3s-killall.sh', { services: ['k3s', 'k3s-agent'], dataDir: K3S_DATA_DIR });
}

/**
 * /usr/local/bin/k3s-uninstall.sh (server) or k3s-agent-uninstall.sh (agent): killall, disable and
 * remove the unit, the k3s symlinks, binary, /etc/rancher/k3s and the data dirs. It does not touch
 * what kbootstrap backed up under /var/lib/kbootstrap: reset restores those separately.
 */
export function buildUninstallScript(role: K3sRole): string {
  const files = buildK3sServiceFiles(role);
  const scriptPath = uninstallScriptPath(role);
  return renderTemplate('k3s/k3s-uninstall.sh', {
    role,
    scriptName: scriptPath.split('/').pop(),
    killallPath: K3S_KILLALL_PATH,
    service: files.service,
    unitPath: files.unitPath,
    envPath: files.envPath,
    symlinks: K3S_SYMLINKS,
    binDir: '/usr/local/bin',
    binaryPath: K3S_BINARY_PATH,
    dataDir: K3S_DATA_DIR,
  });
}

/** The command remove-node/reset run on a node (as root) to uninstall k3s. */
export function buildUninstallCommand(role: K3sRole): string {
  const script = uninstallScriptPath(role);
  return `if [ -x ${script} ]; then ${script}; fi`;
}
