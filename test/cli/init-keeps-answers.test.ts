import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initCommand } from '../../src/cli/commands/init.js';
import { ExitCode } from '../../src/errors.js';
import { loadInventory } from '../../src/inventory/index.js';
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

describe('init keeps what it was told', () => {
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
