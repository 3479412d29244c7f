import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM certificate as base64 (what *-data fields hold): a real one from openssl when present, else random bytes. */
export function certData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '1', '-subj', '/CN=k3s-server-ca'], { stdio: 'ignore' });
    return Buffer.from(readFileSync(join(dir, 'c'))).toString('base64');
  } catch {
    return randomBytes(560).toString('base64');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CA = certData();
export const CLIENT_CERT = certData();
/** Contains the substring "default" on purpose: a string-replacing rewrite would corrupt it. */
export const CLIENT_KEY = `LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tdefaultMHcCAQEEI${randomBytes(90).toString('base64')}`;

/** /etc/rancher/k3s/k3s.yaml as k3s writes it. */
export const K3S_YAML = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: ${CLIENT_CERT}
    client-key-data: ${CLIENT_KEY}
`;

export const ENTRIES = {
  homeCluster: `- cluster:
    certificate-authority-data: ${certData()}
    server: https://192.168.1.10:6443
  name: home
`,
  // A comment a user added by hand, kept as it is.
  workCluster: `- cluster:
    # staging API behind the VPN
    insecure-skip-tls-verify: true
    server: "https://k8s.work.example:443"
  name: work
`,
  homeContext: `- context:
    cluster: home
    namespace: apps
    user: home-admin
  name: home
`,
  workContext: `- context:
    cluster: work
    user: work-user
  name: work
`,
  homeUser: `- name: home-admin
  user:
    client-certificate-data: ${certData()}
    client-key-data: ${certData()}
`,
  workUser: `- name: work-user
  user:
    token: eyJhbGciOiJSUzI1NiJ9.work
`,
};

/** A kubeconfig with two other clusters, in kubectl's layout plus a hand-written comment. */
export function twoClusterKubeconfig(current = 'work'): string {
  return `apiVersion: v1
clusters:
${ENTRIES.homeCluster}${ENTRIES.workCluster}contexts:
${ENTRIES.homeContext}${ENTRIES.workContext}current-context: ${current}
kind: Config
preferences: {}
users:
${ENTRIES.homeUser}${ENTRIES.workUser}`;
}
