import { K3S_REGISTRATION_CONFIG_PATH } from '../../src/k3s/config.js';

/** The files the facts script reads (facts/script.sh candidate_files): fixed ones always (null when absent), globbed ones when present. */
export const FIXED_CANDIDATES = [
  '/etc/os-release', '/usr/lib/os-release', '/etc/rpi-issue', '/etc/hostname', '/etc/hosts', '/etc/dhcpcd.conf',
  '/etc/network/interfaces', '/etc/dphys-swapfile', '/etc/rpi/swap.conf', '/etc/systemd/zram-generator.conf',
  '/usr/lib/systemd/zram-generator.conf', '/etc/fstab',
  '/etc/systemd/system/k3s.service', '/etc/systemd/system/k3s-agent.service',
  '/usr/local/bin/k3s-killall.sh', '/usr/local/bin/k3s-uninstall.sh', '/usr/local/bin/k3s-agent-uninstall.sh',
  K3S_REGISTRATION_CONFIG_PATH,
];
export const GLOBBED_CANDIDATES = /^\/(etc\/NetworkManager\/system-connections\/[^/]+|etc\/netplan\/[^/]+\.yaml|lib\/netplan\/[^/]+\.yaml|usr\/lib\/netplan\/[^/]+\.yaml|etc\/rpi\/swap\.conf\.d\/[^/]+|etc\/network\/interfaces\.d\/[^/]+)$/;
/** Not a real certificate: the kubeconfig code only carries it over. */
export const FAKE_CLIENT_KEY = 'ZmFrZS1jbGllbnQta2V5LWZvci1hLXVuaXQtdGVzdA==';

/** /etc/rancher/k3s/k3s.yaml as k3s writes it (fake certificate data). */
export function k3sYaml(): string {
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    '    certificate-authority-data: ZmFrZS1jYQ==',
    '    server: https://127.0.0.1:6443',
    '  name: default',
    'contexts:',
    '- context:',
    '    cluster: default',
    '    user: default',
    '  name: default',
    'current-context: default',
    'kind: Config',
    'preferences: {}',
    'users:',
    '- name: default',
    '  user:',
    '    client-certificate-data: ZmFrZS1jZXJ0',
    `    client-key-data: ${FAKE_CLIENT_KEY}`,
    '',
  ].join('\n');
}
