import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecOptions, Transport } from '../../src/ssh/transport.js';
import { buildIpProbeCommand, parseIpProbeOutput, planIpProbes, probeStaticIps } from '../../src/validate/ip-probe.js';
import { makeFacts, makeNode, withEth0 } from '../support/facts-factory.js';

const entry = (name: string, index: number, staticIp: string | undefined, address: string) => ({
  node: makeNode({ name, ...(staticIp ? { staticIp } : {}) }, index),
  facts: withEth0(makeFacts(), `dc:a6:32:00:00:0${index}`, address),
});

describe('planIpProbes', () => {
  it('probes each wanted static IP once, from the first node on its subnet, skipping IPs a node already has', () => {
    const entries = [
      entry('a', 0, '10.77.0.11', '10.77.0.150/24'),
      entry('b', 1, '10.77.0.12', '10.77.0.12/24'),
      entry('c', 2, '192.168.9.5', '10.77.0.152/24'),
    ];
    expect(planIpProbes(entries)).toEqual({ plans: [{ prober: 'a', ips: ['10.77.0.11'] }], unreachable: ['192.168.9.5'] });
  });
});

describe('buildIpProbeCommand', () => {
  it('probes all addresses in parallel in one command and refuses anything but IPv4', () => {
    const cmd = buildIpProbeCommand(['10.77.0.11', '10.77.0.12']);
    expect(cmd).toContain('for a in 10.77.0.11 10.77.0.12; do probe "$a" & done\nwait');
    expect(cmd).toContain('ping -n -q -c1 -W1 "$1"');
    expect(spawnSync('dash', ['-n'], { input: cmd }).status).toBe(0);
    expect(() => buildIpProbeCommand(['10.0.0.1; reboot'])).toThrow(/not an IPv4 address/);
  });
});

describe('parseIpProbeOutput', () => {
  it('counts an echo reply or a confirmed neighbour, not a stale memory', () => {
    const out = [
      '10.0.0.1 reply REACHABLE AA:BB:CC:DD:EE:01',
      '10.0.0.2 noreply REACHABLE aa:bb:cc:dd:ee:02',
      '10.0.0.3 noreply STALE aa:bb:cc:dd:ee:03',
      '10.0.0.4 reply',
      '10.0.0.5 sent FAILED',
      '10.0.0.6 notool',
      'garbage',
    ].join('\n');
    expect(parseIpProbeOutput(out)).toEqual({
      inUse: new Map([['10.0.0.1', 'aa:bb:cc:dd:ee:01'], ['10.0.0.2', 'aa:bb:cc:dd:ee:02'], ['10.0.0.4', 'ping']]),
      unchecked: ['10.0.0.6'],
    });
  });
});

describe('probeStaticIps', () => {
  it('runs one command on the prober and reports a tool-less prober as skipped', async () => {
    const commands: string[] = [];
    const t = {
      node: 'a',
      exec: async (command: string, _opts?: ExecOptions) => {
        commands.push(command);
        return { stdout: '10.77.0.11 notool\n', stderr: '', code: 0 };
      },
    } as unknown as Transport;
    const probes = await probeStaticIps([entry('a', 0, '10.77.0.11', '10.77.0.150/24')], new Map([['a', t]]));
    expect(commands).toHaveLength(1);
    expect(probes).toEqual({ ipInUse: new Map(), ipCheckSkipped: { node: 'a', reason: 'a has neither ping nor bash to probe 10.77.0.11' } });
  });
});

/** The probe for real, between two network namespaces this test creates (root only). */
describe('the probe command on a real link', () => {
  const tag = `kbp${process.pid % 100000}`;
  const [nsA, nsB] = [`${tag}a`, `${tag}b`];
  const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  let ready = false;
  let macB = '';

  beforeAll(() => {
    if (process.getuid?.() !== 0) return;
    const r = sh([
      `ip netns add ${nsA}`, `ip netns add ${nsB}`,
      `ip link add ${tag}x netns ${nsA} type veth peer name ${tag}y netns ${nsB}`,
      `ip -n ${nsA} addr add 10.250.77.1/24 dev ${tag}x`, `ip -n ${nsA} link set ${tag}x up`,
      `ip -n ${nsB} addr add 10.250.77.2/24 dev ${tag}y`, `ip -n ${nsB} link set ${tag}y up`,
    ].join(' && '));
    ready = r.status === 0;
    macB = sh(`cat /sys/class/net/${tag}y/address 2>/dev/null || ip netns exec ${nsB} cat /sys/class/net/${tag}y/address`).stdout.trim();
  });
  afterAll(() => {
    sh(`ip netns del ${nsA} 2>/dev/null; ip netns del ${nsB} 2>/dev/null`);
  });

  it('finds the host that answers and not the free address', (ctx) => {
    if (!ready) ctx.skip();
    const r = spawnSync('ip', ['netns', 'exec', nsA, 'dash', '-c', buildIpProbeCommand(['10.250.77.2', '10.250.77.3'])], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    const parsed = parseIpProbeOutput(r.stdout);
    expect(parsed.inUse).toEqual(new Map([['10.250.77.2', macB]]));
    expect(parsed.unchecked).toEqual([]);
  });
});
