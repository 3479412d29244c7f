import { createHash } from 'node:crypto';
import { renderTemplate } from '../templates.js';

export type K3sRole = 'server' | 'agent';

export const K3S_BINARY_PATH = '/usr/local/bin/k3s';
/** Symlinks the install script creates next to the binary. */
export const K3S_SYMLINKS = ['kubectl', 'crictl', 'ctr'] as const;

export interface K3sServiceFiles {
  /** systemd service name without ".service": k3s or k3s-agent. */
  service: 'k3s' | 'k3s-agent';
  unitPath: string;
  envPath: string;
  unit: string;
  env: string;
}

export function k3sServiceName(role: K3sRole): 'k3s' | 'k3s-agent' {
  return role === 'server' ? 'k3s' : 'k3s-agent';
}

/** The unit and its env file for a role, at the paths the k3s install script uses. */
export function buildK3sServiceFiles(role: K3sRole, binaryPath = K3S_BINARY_PATH): K3sServiceFiles {
  const service = k3sServiceName(role);
  const unitPath = `/etc/systemd/system/${service}.service`;
  const envPath = `${unitPath}.env`;
  return {
    service,
    unitPath,
    envPath,
    unit: renderTemplate(service === 'k3s' ? 'k3s/k3s.service' : 'k3s/k3s-agent.service', { envPath, binaryPath }),
    env: renderTemplate('k3s/k3s.env', { service }),
  };
}

/**
 * What facts.k3s.unitSha256 must hold for the planner to see an unchanged unit: the sha256 of the
 * unit file's bytes alone (`sha256sum /etc/systemd/system/k3s.service`, or k3s-agent.service).
 */
export function unitSha256(files: K3sServiceFiles): string {
  return sha256Hex(files.unit);
}

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
