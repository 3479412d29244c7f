import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initCommand } from '../../src/cli/commands/init.js';
import { runInitWizard, TYPED_PASSWORD_ENV } from '../../src/cli/init-wizard.js';
import type { CommandContext } from '../../src/actions/options.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { loadInventory } from '../../src/inventory/index.js';
import { DEFAULT_K3S_VERSION } from '../../src/inventory/schema.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { drivenPrompts, type Step } from './driven-prompts.js';
import { noNetwork, options, PASSWORD, threeNodes } from './wizard-script.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kb-wizard-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

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
        'k3s: { version: v1.34.1+k3s1, disable: [traefik, servicelb] }',
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
    expect(loaded.inventory.k3s).toMatchObject({ version: 'v1.34.1+k3s1', disable: ['traefik', 'servicelb'] });
    expect(loaded.inventory.nodes.map((n) => [n.name, n.board, n.connect.user, n.target?.ip, n.target?.dns, n.labels])).toEqual([
      ['kserver', 'vagrant', 'vagrant', '192.168.56.20', ['1.1.1.1'], { zone: 'a' }],
      ['kworker', 'vagrant', 'vagrant', '192.168.56.51', ['1.1.1.1'], {}],
    ]);
    expect(loaded.inventory.addons).toEqual(['knative-serving']);
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
