import { createServer, type Server } from 'node:http';
import { appendFileSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createBridge, createNodeNetns, setHostLink, startDnsmasq } from './network.js';
import { mountNodeDisk, personalizeNode } from './node-disk.js';
import { NodeRunner } from './node-runner.js';
import { labNames } from './paths.js';
import { readState, writeState, type LabState } from './state.js';
import { teardownLab } from './teardown.js';

/**
 * The long-lived process that owns a lab: it builds the network, mounts and boots the nodes, restarts
 * them on reboot, and answers control requests (stop/start/link/down) on a unix socket. `startLab`
 * and `npm run lab -- up` both start it detached, so nodes outlive the command that started them.
 */
export async function runSupervisor(id: string, index: number): Promise<void> {
  const names = labNames(id, index);
  const state = readState(names.stateFile);
  if (!state) throw new Error(`no lab spec at ${names.stateFile}`);
  state.supervisorPid = process.pid;
  const log = (m: string) => appendFileSync(names.supervisorLog, `${new Date().toISOString()} ${m}\n`);
  const save = () => writeState(names.stateFile, state);
  const password = readFileSync(state.credentials.passwordFile, 'utf8').trim();
  const publicKey = readFileSync(state.credentials.publicKeyPath, 'utf8');
  const runners = new Map<string, NodeRunner>();
  let server: Server | undefined;

  const shutdown = async (code: number) => {
    log('shutting down');
    state.status = 'down';
    save();
    server?.close();
    await Promise.all([...runners.values()].map((r) => r.stop()));
    await teardownLab(id, index);
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));

  try {
    await createBridge(state.bridge, state.subnet);
    const dnsmasq = startDnsmasq(state.bridge, state.subnet, names.leases, `${names.runDir}/dnsmasq.log`);
    state.dnsmasqPid = dnsmasq.pid;
    dnsmasq.on('exit', (code) => log(`dnsmasq exited with ${code}`));
    save();
    await Promise.all(
      state.nodes.map(async (node) => {
        await createNodeNetns(state.bridge, node);
        await mountNodeDisk(node, state.diskSizeMb);
        await personalizeNode(node, password, publicKey);
        const runner = new NodeRunner(node, { changed: save, log, dns: state.subnet.dns });
        runners.set(node.name, runner);
        runner.start();
      }),
    );
    server = await serveControl(names.controlSocket, state, runners, shutdown);
    state.status = 'up';
    save();
    log(`lab ${id} up with ${state.nodes.length} nodes`);
  } catch (err) {
    state.status = 'failed';
    state.error = (err as Error).message;
    save();
    log(`failed: ${state.error}`);
    await Promise.all([...runners.values()].map((r) => r.stop()));
    await teardownLab(id, index).catch(() => undefined);
    process.exit(1);
  }
}

type Op = 'stop' | 'start' | 'cut-link' | 'restore-link' | 'down';

async function serveControl(
  socket: string, state: LabState, runners: Map<string, NodeRunner>, shutdown: (code: number) => Promise<void>,
): Promise<Server> {
  await rm(socket, { force: true });
  const handle = async (op: Op, nodeName: string | undefined): Promise<void> => {
    if (op === 'down') {
      setTimeout(() => void shutdown(0), 10);
      return;
    }
    const runner = nodeName ? runners.get(nodeName) : undefined;
    if (!runner) throw new Error(`no node ${nodeName ?? '(none)'} in lab ${state.id}`);
    const node = runner.node;
    switch (op) {
      case 'stop': return runner.stop();
      case 'start': return runner.start();
      case 'cut-link':
        node.linkCut = true;
        return setHostLink(node.vethHost, false);
      case 'restore-link':
        node.linkCut = false;
        await setHostLink(node.vethHost, true);
        if (node.arch === 'arm64' && runner.running) await runner.applyShim();
        return;
    }
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const { op, node } = JSON.parse(body || '{}') as { op: Op; node?: string };
      handle(op, node).then(
        () => {
          writeState(labNames(state.id, state.index).stateFile, state);
          res.writeHead(200).end('{"ok":true}');
        },
        (err: Error) => res.writeHead(400).end(JSON.stringify({ ok: false, error: err.message })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}
