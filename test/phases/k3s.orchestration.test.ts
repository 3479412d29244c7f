import { afterEach, describe, expect, it, vi } from 'vitest';
import { finish } from '../../src/actions/session.js';
import { ExitCode } from '../../src/errors.js';
import { K3S_CONFIG_PATH } from '../../src/k3s/config.js';
import { k3sBinaryPhase } from '../../src/phases/k3s-binary.js';
import { k3sServersPhase } from '../../src/phases/k3s-servers.js';
import { k3sAgentsRollingPhase } from '../../src/phases/k3s-rolling.js';
import { runPhases } from '../../src/phases/manager.js';
import { NodeCommandError } from '../../src/ssh/errors.js';
import { allOutput, changeLines, cleanWorlds, errorsOf, world, type World } from './orchestration-world.js';

vi.mock('../../src/facts/gather.js', () => import('../support/fake-gather.js'));
afterEach(cleanWorlds);

const K3S = [k3sBinaryPhase, k3sServersPhase, k3sAgentsRollingPhase];

const HA = `
cluster: { name: testlab }
k3s: { ha: true }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100, staticIp: 10.77.9.10 }
  - { name: kserver2, role: server, address: 10.77.9.103, staticIp: 10.77.9.13 }
  - { name: kserver3, role: server, address: 10.77.9.105, staticIp: 10.77.9.15 }
  - { name: knode1, role: agent, address: 10.77.9.101, staticIp: 10.77.9.11 }
`;

/** The tokens and their secret parts, as they must never appear in output. */
function secretsOf(w: World): string[] {
  const out = [w.cluster.serverToken!, w.cluster.agentToken!, w.cluster.serverSecret];
  const agent = /::node:(\S+)$/.exec(w.cluster.agentToken ?? '')?.[1];
  if (agent) out.push(agent);
  return out;
}

describe('k3s servers and agents on fresh nodes', () => {
  it('the first server starts before any agent joins; agents join with the agent token, never the server token', async () => {
    const w = world({ prepared: true });
    await runPhases(w.ctx, K3S);

    expect(errorsOf(w.ctx)).toEqual({});
    expect(w.cluster.journal.filter((j) => j.endsWith(': start'))[0]).toBe('kmaster: start');
    expect(w.cluster.journal.filter((j) => j.endsWith(': start')).sort()).toEqual(['kmaster: start', 'knode1: start', 'knode2: start']);
    expect([...w.cluster.members.values()][0]!.name).toBe('kmaster');
    expect([...w.cluster.members.values()].map((m) => [m.name, m.joinedWith]).sort()).toEqual([
      ['kmaster', undefined],
      ['knode1', 'node'],
      ['knode2', 'node'],
    ]);
    for (const name of ['knode1', 'knode2']) {
      const config = w.nodes[name]!.files.get(K3S_CONFIG_PATH)!;
      expect(config).toContain('server: https://10.77.9.10:6443');
      expect(config).toContain(w.cluster.agentToken!);
      expect(config).not.toContain(w.cluster.serverToken!);
    }
  });

  it('every node gets the binary uploaded and checked, its config written 0600, and k3s enabled, in that order', async () => {
    const w = world({ prepared: true });
    await runPhases(w.ctx, K3S);
    for (const [name, node] of Object.entries(w.nodes)) {
      const service = name === 'kmaster' ? 'k3s' : 'k3s-agent';
      const steps = node.commands.filter((c) => c.startsWith('upload') || c.startsWith('sha256sum') || c.startsWith('systemctl enable'));
      expect(steps.map((c) => c.split(' ').slice(0, 2).join(' ')), name).toEqual(['upload ' + steps[0]!.split(' ')[1], 'sha256sum --', 'systemctl enable']);
      expect(steps[2]).toBe(`systemctl enable ${service} && systemctl start --no-block ${service}`);
      expect(node.writes.find((x) => x.path === K3S_CONFIG_PATH)?.mode, name).toBe(0o600);
    }
  });

  it('no token or token secret shows up in any log event, diff or plan line', async () => {
    const w = world({ prepared: true });
    await runPhases(w.ctx, K3S);
    const out = allOutput(w.ctx.log.events);
    expect(out).toContain('config.yaml');
    for (const s of secretsOf(w)) expect(out).not.toContain(s);
  });

  it('a re-run changes nothing and restarts nothing: the agent token of the first server is reused, not regenerated', async () => {
    const first = world({ prepared: true });
    await runPhases(first.ctx, K3S);
    const since = Object.fromEntries(Object.entries(first.nodes).map(([n, node]) => [n, node.activeSinceMs]));
    const again = world({ after: first });
    await runPhases(again.ctx, K3S);

    expect(changeLines(again.ctx.log.events)).toEqual([]);
    expect(again.ctx.states.map((s) => s.changes)).toEqual([0, 0, 0]);
    expect(Object.fromEntries(Object.entries(again.nodes).map(([n, node]) => [n, node.activeSinceMs]))).toEqual(since);
    expect(again.ctx.log.events.filter((e) => e.kind === 'node-step' && e.status === 'unchanged').map((e) => e.kind === 'node-step' && e.node).sort()).toEqual(['kmaster', 'knode1', 'knode2']);
  });

  it('HA: the first server inits the cluster, the others join one at a time with the server token', async () => {
    const w = world({ prepared: true, inventory: HA });
    let running = 0;
    let most = 0;
    for (const n of ['kserver2', 'kserver3']) {
      const node = w.nodes[n]!;
      const original = node.exec.bind(node);
      node.exec = async (cmd, opts) => {
        if (cmd.startsWith('systemctl enable')) {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 20));
          running--;
        }
        return original(cmd, opts);
      };
    }
    await runPhases(w.ctx, K3S);
    expect(errorsOf(w.ctx)).toEqual({});
    expect(w.nodes.kmaster!.files.get(K3S_CONFIG_PATH)).toContain('cluster-init: true');
    expect(w.cluster.journal.filter((j) => j.endsWith(': start')).slice(0, 3)).toEqual(['kmaster: start', 'kserver2: start', 'kserver3: start']);
    expect(most).toBe(1);
    expect(w.cluster.members.get('kserver2')?.joinedWith).toBe('server');
    expect(w.cluster.members.get('knode1')?.joinedWith).toBe('node');
  });
});

describe('k3s failures', () => {
  it('a first server that cannot be configured stops the join with an error naming it; no agent is touched', async () => {
    const w = world({ prepared: true });
    w.nodes.kmaster!.writeRefusal = (path) => (path === K3S_CONFIG_PATH ? { code: 1, stdout: '', stderr: 'mv: cannot move: Read-only file system' } : undefined);
    const err = await runPhases(w.ctx, K3S).catch((e: unknown) => e);

    expect((err as Error).message).toBe('the first server kmaster failed, so no other node can join');
    expect(w.ctx.states[0]!.error).toBeInstanceOf(NodeCommandError);
    expect(w.ctx.states[0]!.error!.message).toBe(`write ${K3S_CONFIG_PATH} failed on kmaster (exit 1): mv: cannot move: Read-only file system`);
    expect(w.nodes.knode1!.commands.filter((c) => !c.startsWith('cat ')).length + w.nodes.knode1!.writes.length).toBe(0);
    expect(w.cluster.members.size).toBe(0);
  });

  it('an agent whose disk is full fails alone, with the real transport\'s message; the other agent joins; exit 3', async () => {
    const w = world({ prepared: true });
    w.nodes.knode2!.writeRefusal = () => ({ code: 1, stdout: '', stderr: 'cat: write error: No space left on device' });
    await runPhases(w.ctx, K3S);
    expect(errorsOf(w.ctx)).toEqual({ knode2: `disk full on knode2 during: write /usr/local/bin/k3s-killall.sh` });
    expect([...w.cluster.members.keys()]).toEqual(['kmaster', 'knode1']);
    expect(finish(w.ctx)).toBe(ExitCode.partialFailure);
  });

  it('an agent whose k3s keeps exiting is reported with its journal lines, not after the 3-minute timeout', async () => {
    const w = world({ prepared: true });
    // The cluster refuses the agent's token (another cluster's token): k3s exits at start.
    w.cluster.refuseJoin = (role) => (role === 'agent' ? 'level=fatal msg="token CA hash does not match"' : undefined);
    const started = Date.now();
    await runPhases(w.ctx, K3S);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(errorsOf(w.ctx).knode1).toBe('k3s-agent keeps exiting (restarted 3 times):\nlevel=fatal msg="token CA hash does not match"');
    expect(w.ctx.states[0]!.error).toBeUndefined();
  });
});

describe('k3s on a live cluster', () => {
  async function liveCluster() {
    const first = world({ prepared: true });
    await runPhases(first.ctx, K3S);
    first.cluster.kubectl.length = 0;
    first.cluster.journal.length = 0;
    return first;
  }

  it('a new k3s version: servers restart in place, agents are drained, restarted and uncordoned one at a time', async () => {
    const first = await liveCluster();
    const next = world({ after: first, edit: (inv) => { inv.k3s.version = 'v1.34.4+k3s1'; } });
    await runPhases(next.ctx, K3S);

    expect(errorsOf(next.ctx)).toEqual({});
    expect(Object.values(next.nodes).map((n) => n.k3sVersion)).toEqual(['v1.34.4+k3s1', 'v1.34.4+k3s1', 'v1.34.4+k3s1']);
    const kube = next.cluster.kubectl.filter((k) => !k.startsWith('get'));
    expect(kube.map((k) => k.split(' ').slice(0, 2).join(' '))).toEqual(['drain knode1', 'uncordon knode1', 'drain knode2', 'uncordon knode2']);
    // Each agent stops and starts between its drain and uncordon, never both agents down at once.
    expect(next.cluster.journal).toEqual(['kmaster: stop', 'kmaster: start', 'knode1: stop', 'knode1: start', 'knode2: stop', 'knode2: start']);
    expect([...next.cluster.members.values()].every((m) => m.ready && !m.unschedulable)).toBe(true);
  });

  it('a label change rewrites the registration drop-in without draining or restarting anyone', async () => {
    const first = await liveCluster();
    const next = world({ after: first, edit: (inv) => { inv.nodes[1]!.labels = { shelf: 'top' }; } });
    await runPhases(next.ctx, K3S);
    expect(changeLines(next.ctx.log.events)).toEqual(['knode1: write /etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml (labels k3s applies at every start, taints at registration)']);
    expect(next.cluster.kubectl.filter((k) => !k.startsWith('get'))).toEqual([]);
    expect(next.cluster.journal).toEqual([]);
  });

  it('an agent whose drain cannot finish keeps its old k3s and says why; the other agent is upgraded', async () => {
    const first = await liveCluster();
    first.cluster.undrainable.add('knode1');
    const next = world({ after: first, edit: (inv) => { inv.k3s.version = 'v1.34.4+k3s1'; } });
    await runPhases(next.ctx, K3S);
    expect(errorsOf(next.ctx).knode1).toMatch(/^not disrupted: the drain of knode1 did not finish \(cordon and drain knode1 \(at most 120 s\) failed on kmaster \(exit 1\): error: unable to drain node/);
    expect(next.nodes.knode1!.k3sVersion).toBe(first.inv.k3s.version);
    expect(next.nodes.knode2!.k3sVersion).toBe('v1.34.4+k3s1');
    expect(next.cluster.members.get('knode1')!.unschedulable).toBe(false);
  });
});
