import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedNode } from '../../src/inventory/resolved.js';
import { connectNode, type ConnectOptions, type HostKeyLearned } from '../../src/ssh/connect.js';
import type { LocalSshd } from '../support/local-sshd.js';

/** A ResolvedNode pointing at the local sshd. */
export function localNode(sshd: LocalSshd, connect: Partial<ResolvedNode['connect']> = {}, name = 'node1'): ResolvedNode {
  return {
    name,
    role: 'server',
    board: 'generic',
    index: 0,
    connect: { host: sshd.host, port: sshd.port, user: 'root', agent: false, knownHosts: join(sshd.dir, 'known_hosts'), ...connect },
    interface: 'eth0',
    labels: {},
    taints: [],
  };
}

export interface Recorder {
  learned: HostKeyLearned[];
  warnings: string[];
  secrets: string[];
}

/** Connect options with a recorder for callbacks; fast keepalive so a dead link shows in seconds. */
export function testConnectOptions(sshd: LocalSshd, extra: Partial<ConnectOptions> = {}): ConnectOptions & { rec: Recorder } {
  const rec: Recorder = { learned: [], warnings: [], secrets: [] };
  return {
    baseDir: sshd.dir,
    env: {},
    timeoutMs: 10_000,
    keepaliveIntervalMs: 500,
    keepaliveCountMax: 3,
    backupDir: join(sshd.dir, 'backup'),
    onHostKeyLearned: (l) => rec.learned.push(l),
    onWarning: (w) => rec.warnings.push(w),
    secrets: { add: (s) => rec.secrets.push(s) },
    ...extra,
    rec,
  };
}

export async function connectAsRoot(sshd: LocalSshd, extra: Partial<ConnectOptions> = {}) {
  const opts = testConnectOptions(sshd, extra);
  const t = await connectNode(localNode(sshd, { privateKey: sshd.rootKey }), opts);
  return { t, opts };
}

/** A scratch dir on "the node" (the same machine here), removed afterwards. */
export function scratchDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kb-remote-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
