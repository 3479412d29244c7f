import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initCommand } from '../../src/cli/commands/init.js';
import { runInitWizard, TYPED_PASSWORD_ENV } from '../../src/cli/init-wizard.js';
import type { CommandContext, GlobalOptions } from '../../src/cli/options.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { loadInventory } from '../../src/inventory/index.js';
import { DEFAULT_K3S_VERSION } from '../../src/inventory/schema.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { drivenPrompts, type Step } from './driven-prompts.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kb-wizard-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const options = (o: Partial<GlobalOptions>): GlobalOptions => ({ inventory: 'kb.yaml', dryRun: false, yes: false, json: false, verbose: false, color: false, interactive: true, ...o });

const PASSWORD = 'pi-Pa55word!';

// A 3-node cluster on the lab subnet, with the mistakes people make typed first.
const threeNodes: Step[] = [
  { message: /^Cluster name/, answer: 'lab', typo: { text: 'Bad_Name', error: /must be a valid hostname/ } },
  { message: /What are the nodes/, answer: 'rpi4' },
  { message: /static IP addresses/, answer: true },
  { message: /^Gateway/, answer: '10.77.0.1', typo: { text: '10.77.0', error: /must be an IPv4 address/ } },
  { message: /prefix length/, answer: '' },
  { message: /^DNS servers/, answer: '' },
  { message: /How many nodes/, answer: '3' },
  { message: /^Node 1: name/, answer: '' },
  { message: /^kmaster: address/, answer: '10.77.0.100' },
  { message: /^kmaster: static IP/, answer: '', typo: { text: '10.78.0.5', error: /must be inside 10\.77\.0\.0\/24/ } },
  { message: /^kmaster: role/, answer: 'server' },
  { message: /^Node 2: name/, answer: 'knode1', typo: { text: 'kmaster', error: /already the name of another node/ } },
  { message: /^knode1: address/, answer: '10.77.0.101' },
  { message: /^knode1: static IP/, answer: '10.77.0.61', typo: { text: '10.77.0.50', error: /already given to another node/ } },
  { message: /^knode1: role/, answer: 'agent' },
  { message: /^Node 3: name/, answer: '' },
  { message: /^knode2: address/, answer: 'knode2.local' },
  { message: /^knode2: static IP/, answer: '' },
  { message: /^knode2: role/, answer: 'agent' },
  { message: /^SSH user/, answer: '' },
  { message: /How does kbootstrap log in/, answer: 'password-typed' },
  { message: /^Password of pi/, answer: PASSWORD },
  { message: /^k3s version/, answer: 'stable', typo: { text: 'newest', error: /or a channel: stable, latest/ } },
  { message: /^Memory of the smallest node/, answer: '' },
  { message: /^Addons/, answer: ['cert-manager', 'knative-serving'] },
];

// No proposal from the machine the tests run on: its network is not the test's business.
const noNetwork = () => undefined;

describe('init in a terminal with no inventory', () => {
  it('asks, checks each answer as typed, writes an inventory that validates, then runs the init action', async () => {
    const file = join(dir, 'kb.yaml');
    const log = createMemoryLogger();
    const ctx: CommandContext = { options: options({ inventory: file }), log };
    const env: NodeJS.ProcessEnv = {};
    const prompts = drivenPrompts(threeNodes);
    const initAction = vi.fn(async () => ExitCode.ok);

    const code = await initCommand(ctx, { skipPrepare: false, skipAddons: false }, { initAction, prompts, env, readNetwork: noNetwork });

    expect(code).toBe(ExitCode.ok);
    expect(prompts.remaining()).toEqual([]);
    expect(initAction).toHaveBeenCalledOnce();
    expect(readFileSync(file, 'utf8')).not.toContain('unfinished');

    const loaded = await loadInventory(file, { env: { [TYPED_PASSWORD_ENV]: PASSWORD } });
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    if (!loaded.ok) return;
    const inv = loaded.inventory;
    expect(inv.cluster.name).toBe('lab');
    expect(inv.nodes.map((n) => [n.name, n.role, n.connect.host, n.target?.ip, n.target?.prefix, n.target?.gateway])).toEqual([
      ['kmaster', 'server', '10.77.0.100', '10.77.0.50', 24, '10.77.0.1'],
      ['knode1', 'agent', '10.77.0.101', '10.77.0.61', 24, '10.77.0.1'],
      ['knode2', 'agent', 'knode2.local', '10.77.0.52', 24, '10.77.0.1'],
    ]);
    expect(inv.nodes[0]!.target?.dns).toEqual(['10.77.0.1']);
    expect(inv.k3s.version).toBe('stable');
    expect(inv.addons).toEqual(['cert-manager', 'knative-serving']);
    expect(inv.nodes[0]!.connect.password).toEqual({ env: TYPED_PASSWORD_ENV });
  });

  it('never writes a typed password: it is handed to the run as a value (no environment variable) and masked in the log', async () => {
    const file = join(dir, 'kb.yaml');
    const log = createMemoryLogger();
    const env: NodeJS.ProcessEnv = {};
    const initAction = vi.fn(async () => ExitCode.ok);
    await initCommand({ options: options({ inventory: file }), log }, { skipPrepare: false, skipAddons: false }, { initAction, prompts: drivenPrompts(threeNodes), env, readNetwork: noNetwork });

    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD);
    expect(env).toEqual({});
    expect(process.env[TYPED_PASSWORD_ENV]).toBeUndefined();
    expect(initAction).toHaveBeenCalledWith(expect.anything(), { skipPrepare: false, skipAddons: false, secretValues: { [TYPED_PASSWORD_ENV]: PASSWORD } });
    log.emit({ kind: 'message', level: 'info', text: `sshpass ${PASSWORD}` });
    expect(JSON.stringify(log.events)).not.toContain(PASSWORD);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('the password variable unset: a valid inventory on disk, the export line, and the choice to stop', async () => {
    const file = join(dir, 'kb.yaml');
    const log = createMemoryLogger();
    const initAction = vi.fn(async () => ExitCode.ok);
    const script = threeNodes.flatMap((s): Step[] =>
      /log in/.test(s.message.source)
        ? [{ ...s, answer: 'password-env' }, { message: /^Environment variable holding the password/, answer: '' }]
        : /^\^Password of/.test(s.message.source)
          ? []
          : [s],
    );
    const prompts = drivenPrompts([...script, { message: /is saved\. The run needs this first: what now\?/, answer: 'stop' }]);
    const code = await initCommand({ options: options({ inventory: file }), log }, { skipPrepare: false, skipAddons: false }, { initAction, prompts, env: {}, readNetwork: noNetwork });

    expect(code).toBe(ExitCode.userError);
    expect(prompts.remaining()).toEqual([]);
    expect(initAction).not.toHaveBeenCalled();
    const texts = log.events.map((e) => ('text' in e ? e.text : ''));
    expect(texts).toContain('remember: export KBOOTSTRAP_PI_PASSWORD=... before running kbootstrap');
    expect(texts.some((t) => /kb\.yaml:\d+:\d+: error: password comes from environment variable KBOOTSTRAP_PI_PASSWORD, which is not set \(hint: export KBOOTSTRAP_PI_PASSWORD=/.test(t))).toBe(true);
    expect(texts.at(-1)).toBe(`stopped before the run; nothing changed on the nodes. When ready: export KBOOTSTRAP_PI_PASSWORD=... && kbootstrap init -i ${file}`);

    // On disk: every answer, a valid inventory (validate passes it; the variable is what the run lacks).
    const checked = await loadInventory(file, { env: {}, environment: 'warning' });
    expect(checked.ok, JSON.stringify(checked)).toBe(true);
    if (!checked.ok) return;
    expect(checked.inventory.nodes.map((n) => n.name)).toEqual(['kmaster', 'knode1', 'knode2']);
    expect(checked.inventory.nodes[0]!.connect.password).toEqual({ env: 'KBOOTSTRAP_PI_PASSWORD' });
    expect(checked.inventory.addons).toEqual(['cert-manager', 'knative-serving']);
    expect(checked.warnings.map((w) => w.message)).toEqual(['password comes from environment variable KBOOTSTRAP_PI_PASSWORD, which is not set']);
    expect(readFileSync(file, 'utf8')).not.toContain('unfinished');
  });

  it('the password variable unset: or type it now, for this run only', async () => {
    const file = join(dir, 'kb.yaml');
    const initAction = vi.fn(async () => ExitCode.ok);
    const script = threeNodes.flatMap((s): Step[] =>
      /log in/.test(s.message.source) ? [{ ...s, answer: 'password-env' }, { message: /^Environment variable/, answer: 'PI_PW' }] : /^\^Password of/.test(s.message.source) ? [] : [s],
    );
    const prompts = drivenPrompts([...script, { message: /what now\?/, answer: 'type' }, { message: /^the SSH password \(PI_PW\)/, answer: PASSWORD }]);
    const log = createMemoryLogger();
    const code = await initCommand({ options: options({ inventory: file }), log }, { skipPrepare: true, skipAddons: false }, { initAction, prompts, env: {}, readNetwork: noNetwork });
    expect(code).toBe(ExitCode.ok);
    expect(initAction).toHaveBeenCalledWith(expect.anything(), { skipPrepare: true, skipAddons: false, secretValues: { PI_PW: PASSWORD } });
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD);
    expect(JSON.stringify(log.events)).not.toContain(PASSWORD);
  });

  it('a missing key file: check again once it is made, then run', async () => {
    const file = join(dir, 'kb.yaml');
    const key = join(dir, 'id_test');
    const initAction = vi.fn(async () => ExitCode.ok);
    const script = threeNodes.flatMap((s): Step[] =>
      /log in/.test(s.message.source) ? [{ ...s, answer: 'key' }, { message: /^Private key file/, answer: key }] : /^\^Password of/.test(s.message.source) ? [] : [s],
    );
    const prompts = drivenPrompts([...script, { message: /what now\?/, answer: 'again' }]);
    const log = createMemoryLogger();
    // The key appears while the question is on the screen, as if made in another terminal.
    const select = prompts.select.bind(prompts);
    prompts.select = async (config) => {
      if (/what now/.test(config.message)) writeFileSync(key, 'not a real key', { mode: 0o600 });
      return select(config);
    };
    const code = await initCommand({ options: options({ inventory: file }), log }, { skipPrepare: false, skipAddons: false }, { initAction, prompts, env: {}, readNetwork: noNetwork });
    expect(code).toBe(ExitCode.ok);
    expect(prompts.remaining()).toEqual([]);
    expect(initAction).toHaveBeenCalledOnce();
    expect(log.events.some((e) => 'text' in e && /error: private key .*id_test does not exist \(hint: create one with ssh-keygen/.test(e.text))).toBe(true);
  });

  it('stopped half-way (Ctrl+C): the answers so far are on disk, and the next init asks the rest', async () => {
    const file = join(dir, 'kb.yaml');
    const upToVersion = threeNodes.slice(0, threeNodes.findIndex((s) => /Memory/.test(s.message.source)));
    const first = drivenPrompts(upToVersion);
    const run = initCommand({ options: options({ inventory: file }), log: createMemoryLogger() }, { skipPrepare: false, skipAddons: false }, { initAction: vi.fn(), prompts: first, env: {}, readNetwork: noNetwork });
    await expect(run).rejects.toThrow(/unexpected question: Memory of the smallest node/);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# kbootstrap init: unfinished');
    expect(text).toContain('version: stable');

    // Without a terminal the saved file is used as it is; in a terminal the questions go on from it.
    const initAction = vi.fn(async () => ExitCode.ok);
    await initCommand({ options: options({ inventory: file, interactive: false }), log: createMemoryLogger() }, { skipPrepare: false, skipAddons: false }, { initAction, readNetwork: noNetwork });
    expect(initAction).toHaveBeenCalledOnce();
    const again = drivenPrompts([
      ...threeNodes.slice(0, 20).map((s) => ({ message: s.message, answer: /role|What are the nodes|static IP addresses/.test(s.message.source) ? s.answer : '' })),
      { message: /How does kbootstrap log in/, answer: 'password-env' },
      { message: /^Environment variable/, answer: 'PI_PW' },
      { message: /^k3s version/, answer: '' },
      { message: /^Memory/, answer: '' },
      { message: /^Addons/, answer: [] },
    ]);
    const log = createMemoryLogger();
    await initCommand({ options: options({ inventory: file }), log }, { skipPrepare: false, skipAddons: false }, { initAction, prompts: again, env: { PI_PW: 'x' }, readNetwork: noNetwork });
    expect(log.events[0]).toMatchObject({ text: expect.stringContaining('missing the answers an earlier init did not get to') });
    expect(again.remaining()).toEqual([]);
    const done = readFileSync(file, 'utf8');
    expect(done).not.toContain('unfinished');
    expect(done).toContain('version: stable');
    expect(done).toContain('name: lab');
  });
});

describe('init with an incomplete inventory', () => {
  it('starts from what the file has: its answers are the defaults and unasked keys are kept', async () => {
    const file = join(dir, 'kb.yaml');
    writeFileSync(
      file,
      [
        'cluster: { name: garage }',
        'board: vagrant',
        'ssh: { user: vagrant, privateKey: ./id_test }',
        'network: { gateway: 192.168.56.1, prefix: 24, dns: [1.1.1.1] }',
        'k3s: { version: v1.30.6+k3s1, disable: [traefik, servicelb] }',
        'nodes:',
        '  - { name: kserver, address: 192.168.56.10, staticIp: 192.168.56.20, labels: { zone: a } }',
        '  - { name: kworker }',
        'addons: { knative-serving: {} }',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'id_test'), 'not a real key', { mode: 0o600 });
    const accept = (message: RegExp, answer: Step['answer'] = ''): Step => ({ message, answer });
    const prompts = drivenPrompts([
      accept(/^Cluster name/),
      accept(/What are the nodes/, 'vagrant'),
      accept(/static IP addresses/, true),
      accept(/^Gateway/),
      accept(/prefix length/),
      accept(/^DNS/),
      accept(/How many nodes/),
      accept(/^Node 1: name/),
      accept(/^kserver: address/),
      accept(/^kserver: static IP/),
      accept(/^kserver: role/, 'server'),
      accept(/^Node 2: name/),
      accept(/^kworker: address/, '192.168.56.11'),
      accept(/^kworker: static IP/),
      accept(/^kworker: role/, 'agent'),
      accept(/^SSH user/),
      accept(/How does kbootstrap log in/, 'key'),
      accept(/^Private key file/),
      accept(/^k3s version/),
      accept(/^Memory/),
      accept(/^Addons/, ['knative-serving']),
    ]);
    const log = createMemoryLogger();
    await initCommand({ options: options({ inventory: file }), log }, { skipPrepare: false, skipAddons: false }, { initAction: async () => ExitCode.ok, prompts, env: {}, readNetwork: noNetwork });

    expect(log.events[0]).toMatchObject({ kind: 'message', text: expect.stringContaining('is incomplete: missing nodes[1].address') });
    const loaded = await loadInventory(file, { env: {} });
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.inventory.cluster.name).toBe('garage');
    expect(loaded.inventory.k3s).toMatchObject({ version: 'v1.30.6+k3s1', disable: ['traefik', 'servicelb'] });
    expect(loaded.inventory.nodes.map((n) => [n.name, n.board, n.connect.user, n.target?.ip, n.target?.dns, n.labels])).toEqual([
      ['kserver', 'vagrant', 'vagrant', '192.168.56.20', ['1.1.1.1'], { zone: 'a' }],
      ['kworker', 'vagrant', 'vagrant', '192.168.56.51', ['1.1.1.1'], {}],
    ]);
    expect(loaded.inventory.addons).toEqual(['knative-serving']);
  });
});

describe('init whose last answers do not make an inventory', () => {
  it('says so, and the file keeps the last answers that did', async () => {
    const file = join(dir, 'kb.yaml');
    writeFileSync(file, 'cluster: { name: pi }\nssh: { agent: true }\nnodes: [{ name: kmaster, role: server }]\naddons: { knative-eventing: {}, kafka: { knativeBroker: true } }\n');
    const prompts = drivenPrompts([
      { message: /^Cluster name/, answer: '' },
      { message: /What are the nodes/, answer: 'generic' },
      { message: /static IP addresses/, answer: false },
      { message: /How many nodes/, answer: '' },
      { message: /^Node 1: name/, answer: '' },
      { message: /^kmaster: address/, answer: '10.0.0.2' },
      { message: /^kmaster: role/, answer: 'server' },
      { message: /^SSH user/, answer: '' },
      { message: /How does kbootstrap log in/, answer: 'agent' },
      { message: /^k3s version/, answer: '' },
      { message: /^Memory/, answer: '8' },
      { message: /^Addons/, answer: ['kafka'] },
    ]);
    const log = createMemoryLogger();
    const run = initCommand({ options: options({ inventory: file }), log }, { skipPrepare: false, skipAddons: false }, { initAction: vi.fn(), prompts, env: {}, readNetwork: noNetwork });
    await expect(run).rejects.toMatchObject({ message: `these answers do not make a valid inventory; ${file} keeps the last answers that did` });
    expect(log.events.some((e) => 'text' in e && /error: kafka\.knativeBroker needs the knative-eventing addon/.test(e.text))).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# kbootstrap init: unfinished');
    expect(text).toContain('address: 10.0.0.2');
  });
});

describe('init that must not ask', () => {
  it.each([
    ['no terminal', options({ interactive: false })],
    ['--yes', options({ yes: true, interactive: false })],
  ])('%s and no inventory: exit 1 naming what is missing, no prompt, no action', async (_label, opts) => {
    const file = join(dir, 'kb.yaml');
    const initAction = vi.fn(async () => ExitCode.ok);
    const prompts = drivenPrompts([]);
    const run = initCommand({ options: { ...opts, inventory: file }, log: createMemoryLogger() }, { skipPrepare: false, skipAddons: false }, { initAction, prompts });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toMatchObject({ message: `no inventory: ${file} does not exist`, exitCode: 1, hint: expect.stringContaining(`kbootstrap init -i ${file}`) });
    expect(prompts.asked).toEqual([]);
    expect(initAction).not.toHaveBeenCalled();
  });

  it('complete inventory: straight to the init action', async () => {
    const file = join(dir, 'kb.yaml');
    writeFileSync(file, 'cluster: { name: pi }\nnodes: [{ name: kmaster, address: 10.0.0.2 }]\n');
    const initAction = vi.fn(async () => ExitCode.partialFailure);
    const code = await initCommand({ options: options({ inventory: file, interactive: false }), log: createMemoryLogger() }, { skipPrepare: true, skipAddons: false }, { initAction });
    expect(code).toBe(ExitCode.partialFailure);
    expect(initAction).toHaveBeenCalledWith(expect.anything(), { skipPrepare: true, skipAddons: false });
  });
});

describe('runInitWizard on its own', () => {
  it('asks no static IP when the nodes keep their network', async () => {
    const prompts = drivenPrompts([
      { message: /^Cluster name/, answer: 'solo' },
      { message: /What are the nodes/, answer: 'generic' },
      { message: /static IP addresses/, answer: false },
      { message: /How many nodes/, answer: '1' },
      { message: /^Node 1: name/, answer: 'box' },
      { message: /^box: address/, answer: '10.1.2.3' },
      { message: /^box: role/, answer: 'server' },
      { message: /^SSH user/, answer: 'admin' },
      { message: /How does kbootstrap log in/, answer: 'password-env' },
      { message: /^Environment variable/, answer: 'BOX_PW', typo: { text: '1BAD-NAME', error: /environment variable name/ } },
      { message: /^k3s version/, answer: '' },
      { message: /^Memory/, answer: '' },
      { message: /^Addons/, answer: [] },
    ]);
    const said: string[] = [];
    const inv = await runInitWizard({}, { prompts, env: {}, say: (t) => said.push(t) });
    expect(inv).toEqual({
      cluster: { name: 'solo' },
      board: 'generic',
      network: {},
      nodes: [{ name: 'box', address: '10.1.2.3', role: 'server' }],
      ssh: { user: 'admin', password: { env: 'BOX_PW' } },
      k3s: { version: DEFAULT_K3S_VERSION },
      addons: {},
    });
    expect(said).toEqual(['remember: export BOX_PW=... before running kbootstrap']);
  });
});

describe('the wizard proposes what it can read and leaves out what cannot work', () => {
  const here = { interface: 'wlan0', gateway: '192.168.2.1', prefix: 24, dns: ['192.168.2.1', '1.1.1.1'] };

  it("proposes this machine's gateway, prefix and DNS; warns when a node's address is the gateway", async () => {
    const prompts = drivenPrompts([
      { message: /^Cluster name/, answer: 'home' },
      { message: /What are the nodes/, answer: 'rpi4' },
      { message: /static IP addresses/, answer: true },
      { message: /^Gateway/, answer: '' },
      { message: /prefix length/, answer: '' },
      { message: /^DNS servers/, answer: '' },
      { message: /How many nodes/, answer: '1' },
      { message: /^Node 1: name/, answer: '' },
      { message: /^kmaster: address/, answer: '192.168.2.1' },
      { message: /^Use 192\.168\.2\.1 for kmaster anyway\?/, answer: false },
      { message: /^kmaster: address/, answer: '192.168.2.100' },
      { message: /^kmaster: static IP/, answer: '' },
      { message: /^kmaster: role/, answer: 'server' },
      { message: /^SSH user/, answer: '' },
      { message: /How does kbootstrap log in/, answer: 'agent' },
      { message: /^k3s version/, answer: '' },
      { message: /^Memory/, answer: '' },
      { message: /^Addons/, answer: [] },
    ]);
    const said: string[] = [];
    const inv = await runInitWizard({}, { prompts, env: {}, network: here, say: (t) => said.push(t) });
    expect(prompts.remaining()).toEqual([]);
    expect(inv.network).toEqual({ gateway: '192.168.2.1', prefix: 24, dns: ['192.168.2.1', '1.1.1.1'] });
    expect(inv.nodes).toEqual([{ name: 'kmaster', address: '192.168.2.100', staticIp: '192.168.2.50', role: 'server' }]);
    expect(said[0]).toBe('this machine is on 192.168.2.0/24 (wlan0) with gateway 192.168.2.1 and DNS 192.168.2.1, 1.1.1.1: proposed for the nodes');
    expect(said).toContain("warning: 192.168.2.1 is the gateway (your router), not a node; the node's address is the one it has now (see the router's list of DHCP leases)");
  });

  it('another gateway typed: the prefix and DNS proposals follow it, not this machine', async () => {
    const prompts = drivenPrompts([
      { message: /^Cluster name/, answer: '' },
      { message: /What are the nodes/, answer: 'generic' },
      { message: /static IP addresses/, answer: true },
      { message: /^Gateway/, answer: '10.0.0.1' },
      { message: /prefix length/, answer: '' },
      { message: /^DNS servers/, answer: '' },
      { message: /How many nodes/, answer: '1' },
      { message: /^Node 1: name/, answer: '' },
      { message: /^kmaster: address/, answer: '10.0.0.2' },
      { message: /^kmaster: static IP/, answer: '' },
      { message: /^kmaster: role/, answer: 'server' },
      { message: /^SSH user/, answer: '' },
      { message: /How does kbootstrap log in/, answer: 'agent' },
      { message: /^k3s version/, answer: '' },
      { message: /^Memory/, answer: '' },
      { message: /^Addons/, answer: [] },
    ]);
    const inv = await runInitWizard({}, { prompts, env: {}, network: { ...here, prefix: 16 } });
    expect(inv.network).toEqual({ gateway: '10.0.0.1', prefix: 24, dns: ['10.0.0.1'] });
  });

  it('does not offer OpenWhisk on arm64 boards, nor Kafka on 2 GB nodes; keeps what the file chose', async () => {
    const base: Step[] = [
      { message: /^Cluster name/, answer: '' },
      { message: /What are the nodes/, answer: 'rpi4' },
      { message: /static IP addresses/, answer: false },
      { message: /How many nodes/, answer: '1' },
      { message: /^Node 1: name/, answer: '' },
      { message: /^kmaster: address/, answer: '10.0.0.2' },
      { message: /^kmaster: role/, answer: 'server' },
      { message: /^SSH user/, answer: '' },
      { message: /How does kbootstrap log in/, answer: 'agent' },
      { message: /^k3s version/, answer: '' },
    ];
    const offered = async (memory: string, board: string, partial: object = {}) => {
      const prompts = drivenPrompts([
        ...base.map((s) => (/What are the nodes/.test(s.message.source) ? { ...s, answer: board } : s)),
        { message: /^Memory/, answer: memory },
        { message: /^Addons/, answer: [] },
      ]);
      let choices: string[] = [];
      const checkbox = prompts.checkbox.bind(prompts);
      prompts.checkbox = async (config) => {
        choices = config.choices.map((c) => c.value);
        return checkbox(config);
      };
      const said: string[] = [];
      const inv = await runInitWizard(partial, { prompts, env: {}, say: (t) => said.push(t) });
      return { choices, said, addons: inv.addons };
    };

    const pi = await offered('', 'rpi4');
    expect(pi.choices).toEqual(['cert-manager', 'knative-serving', 'knative-eventing', 'kafka']);
    expect(pi.said).toContain('not offered: openwhisk: its Apache images are published for amd64 only (apache/openwhisk#5503) and the nodes are arm64');

    const small = await offered('2', 'rpi4', { addons: { kafka: { knativeBroker: true } } });
    expect(small.choices).toEqual(['cert-manager', 'knative-serving', 'knative-eventing']);
    expect(small.said).toContain('not offered: kafka: one Kafka broker with the Strimzi operator is already tight on 4 GB nodes; the nodes have 2 GB (kept as the file has it)');
    expect(small.addons).toEqual({ kafka: { knativeBroker: true } });

    const vms = await offered('8', 'vagrant');
    expect(vms.choices).toEqual(['cert-manager', 'knative-serving', 'knative-eventing', 'kafka', 'openwhisk']);
  });
});
