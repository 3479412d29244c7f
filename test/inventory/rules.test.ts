import { describe, expect, it } from 'vitest';
import { checkRules, inputFromInventory, type FileProbe, type RuleContext } from '../../src/inventory/index.js';
import { inventory } from './helpers.js';

const present: FileProbe = () => ({ kind: 'file', mode: 0o600, readable: true });
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({ env: { PW: 'x' }, baseDir: '/inv', homeDir: '/home/u', probe: present, ...over });
const run = (inv = inventory(), c = ctx()) => checkRules(inputFromInventory(inv), c);
const brief = (inv = inventory(), c = ctx()) => run(inv, c).map((p) => `${p.severity} ${p.path.join('.')}: ${p.message}`);

const node = (name: string, role: 'server' | 'agent', n: number, extra: object = {}) => ({ name, role, address: `192.168.2.${100 + n}`, staticIp: `192.168.2.${50 + n}`, ...extra });

describe('servers and HA', () => {
  it('accepts one server without HA', () => {
    expect(brief()).toEqual([]);
  });

  it('accepts 3 servers with HA, warning about SD cards on Pi boards only', () => {
    const nodes = [node('s1', 'server', 0), node('s2', 'server', 1), node('s3', 'server', 2)];
    expect(brief(inventory({ nodes, k3s: { ha: true } }))).toEqual(['warning k3s.ha: embedded etcd writes constantly and wears out SD cards (k3s docs)']);
    expect(brief(inventory({ nodes, board: 'generic', k3s: { ha: true } }))).toEqual([]);
  });

  it('warns, without failing, for HA on a single server', () => {
    const problems = run(inventory({ k3s: { ha: true } }));
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
    expect(problems[0]!.message).toMatch(/single server/);
  });

  it('rejects 4 servers with HA and 2 without', () => {
    const four = [0, 1, 2, 3].map((i) => node(`s${i}`, 'server', i));
    expect(brief(inventory({ nodes: four, board: 'generic', k3s: { ha: true } }))).toEqual([
      'error k3s.ha: HA with embedded etcd needs an odd number of servers, this inventory has 4',
    ]);
    expect(brief(inventory({ nodes: four.slice(0, 2) }))).toEqual(['error nodes.1.role: a second server (after s0) needs k3s.ha: true']);
  });
});

describe('static IPs', () => {
  const withIp = (staticIp: string, network?: object, top: object = { gateway: '192.168.2.1' }) =>
    inventory({ network: top, nodes: [{ name: 'kmaster', role: 'server', address: 'kmaster.local', staticIp, network }] });

  it.each([
    ['192.168.2.50', undefined, undefined],
    ['192.168.3.50', undefined, 'static IP 192.168.3.50 is outside 192.168.2.0/24, the subnet of gateway 192.168.2.1'],
    ['192.168.3.50', { prefix: 16 }, undefined],
    ['192.168.2.1', undefined, "static IP 192.168.2.1 is the gateway's address"],
    ['192.168.2.255', undefined, 'static IP 192.168.2.255 is the broadcast address of 192.168.2.0/24'],
    ['192.168.2.0', undefined, 'static IP 192.168.2.0 is the network address of 192.168.2.0/24'],
    ['10.0.0.5', { gateway: '10.0.0.1', prefix: 8 }, undefined],
  ])('%s with %j', (ip, network, message) => {
    expect(run(withIp(ip, network)).map((p) => p.message)).toEqual(message ? [message] : []);
  });

  it('needs a gateway from the top level or the node', () => {
    expect(run(withIp('192.168.2.50', undefined, {})).map((p) => p.message)).toEqual(['static IP 192.168.2.50 has no gateway']);
    expect(run(withIp('192.168.2.50', { gateway: '192.168.2.254' }, {}))).toEqual([]);
  });

  it('warns when a static IP is another node\'s current address', () => {
    const nodes = [node('a', 'server', 0), { name: 'b', address: '192.168.2.50', staticIp: '192.168.2.60' }];
    expect(brief(inventory({ nodes }))).toEqual(['warning nodes.0.staticIp: static IP 192.168.2.50 is the current address of node b: both answer on it until b has moved']);
  });
});

describe('addons', () => {
  it('requires knative-eventing for the Kafka broker', () => {
    expect(brief(inventory({ addons: { kafka: { knativeBroker: true } } }))).toEqual([
      'error addons.kafka.knativeBroker: kafka.knativeBroker needs the knative-eventing addon: the Knative Kafka broker (eventing-kafka-broker) is a Knative Eventing broker',
    ]);
    expect(brief(inventory({ addons: { kafka: { knativeBroker: true }, 'knative-eventing': {} } }))).toEqual([]);
    expect(brief(inventory({ addons: { kafka: {} } }))).toEqual([]);
  });

  it('warns that OpenWhisk has no arm64 images, naming each component still on one (images or chart values override them)', () => {
    expect(brief(inventory({ addons: { openwhisk: {} } }))[0]).toMatch(/^warning addons.openwhisk: 2 node\(s\) are arm64 boards, and OpenWhisk's controller, invoker, utility, apigw images/);
    expect(brief(inventory({ board: 'vagrant', addons: { openwhisk: {} } }))).toEqual([]);
    expect(brief(inventory({ addons: { openwhisk: { values: { invoker: { imageName: 'me/invoker-arm64' } } } } }))[0]).toMatch(/controller, utility, apigw images/);
    const images = { controller: { imageName: 'me/c' }, invoker: { imageName: 'me/i' }, utility: { imageName: 'me/u' } };
    expect(brief(inventory({ addons: { openwhisk: { images, values: { apigw: { imageName: 'me/g' } } } } }))).toEqual([]);
    expect(brief(inventory({ addons: { openwhisk: { enabled: false } } }))).toEqual([]);
  });

  it('warns when Knative Serving meets Traefik', () => {
    expect(brief(inventory({ k3s: { disable: [] }, addons: { 'knative-serving': {} } }))).toEqual([
      "warning k3s.disable: Knative's Kourier and k3s's Traefik both want ports 80 and 443",
    ]);
  });
});

describe('k3s version', () => {
  it.each([
    ['1.31.4', 'did you mean "v1.31.4+k3s1"?'],
    ['v1.31.4', 'did you mean "v1.31.4+k3s1"?'],
    ['v1.31.4-k3s2', 'did you mean "v1.31.4+k3s2"?'],
    ['Stable', 'channels kbootstrap follows are stable, latest and v1.NN'],
    ['2.0', 'k3s releases look like'],
  ])('%s → hint %s', (version, hint) => {
    const problems = run(inventory({ k3s: { version } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.hint).toContain(hint);
  });

  it('accepts releases and release candidates', () => {
    expect(run(inventory({ k3s: { version: 'v1.32.0-rc1+k3s1' } }))).toEqual([]);
  });

  it.each(['stable', 'latest', 'v1.34'])('accepts the channel %s (resolved once per run)', (version) => {
    expect(run(inventory({ k3s: { version } }))).toEqual([]);
  });

  it('defaults to a release of Kubernetes 1.34 or later (Knative Serving 1.23 refuses older)', () => {
    const version = inventory().k3s.version;
    const minor = Number(/^v1\.(\d+)\./.exec(version)?.[1]);
    expect(minor).toBeGreaterThanOrEqual(34);
    expect(run(inventory())).toEqual([]);
  });
});

describe('secrets and login', () => {
  it('checks password files: missing is an error, loose mode a warning', () => {
    const inv = inventory({ ssh: { password: { file: 'pw' } } });
    expect(brief(inv, ctx({ probe: () => ({ kind: 'missing' }) }))).toEqual(['error ssh.password.file: password file pw (/inv/pw) does not exist']);
    expect(brief(inv, ctx({ probe: () => ({ kind: 'file', mode: 0o644, readable: true }) }))).toEqual([
      'warning ssh.password.file: password file pw (/inv/pw) can be read by group or others (mode 0644)',
    ]);
    expect(brief(inv, ctx({ probe: () => ({ kind: 'file', mode: 0o600, readable: false }) }))).toEqual(['error ssh.password.file: password file pw (/inv/pw) cannot be read']);
  });

  it('expands ~ in key paths and names the node of a per-node key', () => {
    const seen: string[] = [];
    const probe: FileProbe = (p) => (seen.push(p), { kind: 'missing' });
    const nodes = [{ name: 'kmaster', role: 'server' as const, address: 'a', ssh: { privateKey: '~/.ssh/id_ed25519' } }];
    const problems = run(inventory({ nodes }), ctx({ probe }));
    expect(seen).toEqual(['/home/u/.ssh/id_ed25519']);
    expect(problems).toEqual([
      expect.objectContaining({ path: ['nodes', 0, 'ssh', 'privateKey'], node: 'kmaster', severity: 'error', message: 'private key ~/.ssh/id_ed25519 does not exist' }),
    ]);
  });

  it('needs a way to log in: one error when no node has any, per node otherwise', () => {
    const none = inventory({ ssh: {} });
    expect(brief(none, ctx({ env: {} }))).toEqual(['error nodes: no way to log in to any node: no password, private key or ssh-agent']);
    expect(brief(none, ctx({ env: { SSH_AUTH_SOCK: '/tmp/agent' } }))).toEqual([]);
    const one = inventory({ ssh: {}, nodes: [node('kmaster', 'server', 0, { ssh: { privateKey: '/k' } }), node('knode1', 'agent', 1)] });
    expect(run(one, ctx({ env: {} }))).toEqual([expect.objectContaining({ path: ['nodes', 1], node: 'knode1', message: 'no way to log in: no password, private key or ssh-agent' })]);
  });

  it('marks what depends on this machine (variables, files, a running agent) as environment, not the file', () => {
    const envOf = (inv: ReturnType<typeof inventory>, c: RuleContext) => run(inv, c).map((p) => [p.severity, p.path.join('.'), p.environment === true]);
    expect(envOf(inventory(), ctx({ env: {} }))).toEqual([['error', 'ssh.password.env', true]]);
    expect(envOf(inventory({ ssh: { privateKey: '/k' } }), ctx({ probe: () => ({ kind: 'missing' }) }))).toEqual([['error', 'ssh.privateKey', true]]);
    expect(envOf(inventory({ ssh: {} }), ctx({ env: {} }))).toEqual([['error', 'nodes', true]]);
    // agent: false and nothing else: no machine can make that inventory log in: the file's mistake.
    expect(envOf(inventory({ ssh: { agent: false } }), ctx({ env: {} }))).toEqual([['error', 'ssh', false]]);
  });

  it('known_hosts: missing is fine (made at the first connection); a directory or an unreadable file is not', () => {
    const inv = inventory({ ssh: { password: { env: 'PW' }, knownHosts: 'kh' } });
    const probe = (kind: 'missing' | 'not-a-file' | 'unreadable'): FileProbe => (p) =>
      p !== '/inv/kh' ? { kind: 'file', mode: 0o600, readable: true } : kind === 'unreadable' ? { kind: 'file', mode: 0o600, readable: false } : { kind };
    expect(brief(inv, ctx({ probe: probe('missing') }))).toEqual([]);
    expect(brief(inv, ctx({ probe: probe('not-a-file') }))).toEqual(['error ssh.knownHosts: known_hosts kh (/inv/kh) is not a regular file']);
    expect(brief(inv, ctx({ probe: probe('unreadable') }))).toEqual(['error ssh.knownHosts: known_hosts kh (/inv/kh) cannot be read']);
  });

  it('warns when agent: true but no agent runs', () => {
    expect(brief(inventory({ ssh: { agent: true } }), ctx({ env: {} }))).toEqual(['warning ssh.agent: agent: true but SSH_AUTH_SOCK is not set']);
  });
});
