// Runs the k3s stand-in on this host in temp roots (K3S_STANDIN_ROOT), servers on 127.0.0.1 ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Interpreter for the stand-in; set K3S_STANDIN_PYTHON=python3.9 to check the oldest supported one. */
const PYTHON = process.env['K3S_STANDIN_PYTHON'] ?? 'python3';

export const STANDIN = fileURLToPath(new URL('../lab/k3s-standin/k3s-standin', import.meta.url));

/** Fast timings so Ready/NotReady transitions happen within seconds. */
const FAST_ENV = {
  K3S_STANDIN_HEARTBEAT: '0.5',
  K3S_STANDIN_NODE_GRACE: '3',
  K3S_STANDIN_MANIFEST_SCAN: '0.5',
};

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface StandinNode {
  root: string;
  port?: number;
  proc?: ChildProcess;
  logs: () => string;
  /** `k3s kubectl ...` with this node's root (its /etc/rancher/k3s/k3s.yaml). */
  kubectl: (...args: string[]) => Promise<RunResult>;
  stop: () => Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];

export async function cleanupAll(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function makeRoot(configYaml: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'k3s-standin-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'etc/rancher/k3s'), { recursive: true });
  await writeFile(join(root, 'etc/rancher/k3s/config.yaml'), configYaml);
  return root;
}

export function run(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [STANDIN, ...args], {
      env: { ...process.env, ...FAST_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function startDaemon(role: 'server' | 'agent', root: string, env: Record<string, string>): StandinNode {
  const proc = spawn(PYTHON, [STANDIN, role], {
    env: { ...process.env, ...FAST_ENV, K3S_STANDIN_ROOT: root, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let logs = '';
  proc.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
  };
  cleanups.push(stop);
  return {
    root,
    proc,
    logs: () => logs,
    kubectl: (...args) => run(['kubectl', ...args], { K3S_STANDIN_ROOT: root }),
    stop,
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface NodeJson {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints?: Array<{ key: string; value?: string; effect: string }>; unschedulable?: boolean };
  status: {
    conditions: Array<{ type: string; status: string }>;
    nodeInfo: { kubeletVersion: string; architecture: string };
    addresses: Array<{ type: string; address: string }>;
  };
}

export async function nodes(node: StandinNode): Promise<NodeJson[]> {
  const r = await node.kubectl('get', 'nodes', '-o', 'json');
  if (r.code !== 0) throw new Error(`kubectl get nodes failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { items: NodeJson[] }).items;
}

export function readyStatus(n: NodeJson | undefined): string | undefined {
  return n?.status.conditions.find((c) => c.type === 'Ready')?.status;
}

/** Waits until `name` is listed with Ready == want (default "True"). */
export async function waitReady(server: StandinNode, name: string, want = 'True'): Promise<NodeJson> {
  return waitFor(`${name} Ready=${want}`, async () => {
    const r = await server.kubectl('get', 'nodes', '-o', 'json');
    if (r.code !== 0) return undefined;
    const n = (JSON.parse(r.stdout) as { items: NodeJson[] }).items.find((x) => x.metadata.name === name);
    return readyStatus(n) === want ? n : undefined;
  });
}

export async function startServer(configYaml: string, port?: number): Promise<StandinNode & { port: number }> {
  const root = await makeRoot(configYaml);
  const name = /node-name:\s*(\S+)/.exec(configYaml)?.[1] ?? '';
  return startServerIn(root, port ?? (await freePort()), name);
}

/** Starts (or restarts) a server on an existing root and waits until it lists its own node. */
export async function startServerIn(root: string, port: number, name: string): Promise<StandinNode & { port: number }> {
  const node = { ...startDaemon('server', root, { K3S_STANDIN_PORT: String(port) }), port };
  await waitFor(`server ${name} up`, async () => {
    if (node.proc!.exitCode !== null) throw new Error(`server exited early:\n${node.logs()}`);
    const r = await node.kubectl('get', 'nodes', name, '-o', 'name');
    return r.code === 0 ? true : undefined;
  });
  return node;
}

export async function startAgent(configYaml: string): Promise<StandinNode> {
  return startAgentIn(await makeRoot(configYaml));
}

/** Starts (or restarts) an agent on an existing root (same node password: the same machine). */
export function startAgentIn(root: string, env: Record<string, string> = {}): StandinNode {
  return startDaemon('agent', root, env);
}

export async function serverToken(server: StandinNode): Promise<string> {
  return (await readFile(join(server.root, 'var/lib/rancher/k3s/server/token'), 'utf8')).trim();
}
