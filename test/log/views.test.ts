import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/log/events.js';
import { createLogger, chooseLogMode, type LogMode } from '../../src/log/logger.js';
import { colorWanted, stripAnsi } from '../../src/log/style.js';
import { collector } from './collect.js';

const nodeEvents: LogEvent[] = [
  { kind: 'phase-start', phase: 'Prepare OS', nodes: ['kmaster', 'knode1'] },
  { kind: 'node-step', node: 'kmaster', phase: 'prepare', status: 'running', text: 'set hostname' },
  { kind: 'node-step', node: 'knode1', phase: 'prepare', status: 'running', text: 'set hostname' },
  { kind: 'node-step', node: 'kmaster', phase: 'prepare', status: 'done', text: 'set hostname' },
  { kind: 'node-step', node: 'knode1', phase: 'prepare', status: 'failed', text: 'set hostname', detail: 'hostnamectl: exit 1\nFailed to connect to bus' },
  { kind: 'message', level: 'info', node: 'knode1', text: 'line one\nline two' },
  { kind: 'message', level: 'warn', node: 'kmaster', text: 'swap is on' },
  { kind: 'change', node: 'kmaster', description: 'write /etc/hostname', applied: false, diff: '--- a\n+++ b\n-raspberrypi\n+kmaster\n' },
  { kind: 'phase-end', phase: 'Prepare OS', ok: false },
];

function run(mode: LogMode, events: LogEvent[], opts: { verbose?: boolean; color?: boolean; secrets?: string[] } = {}) {
  const out = collector();
  const err = collector();
  const log = createLogger({ mode, verbose: opts.verbose ?? false, color: opts.color ?? false, stream: out, errorStream: err, spinner: false });
  for (const s of opts.secrets ?? []) log.addSecret(s);
  for (const e of events) log.emit(e);
  log.close();
  return { out, err, all: out.text() + err.text() };
}

describe('plain view', () => {
  it('writes one readable line per node step, carrying the node name', () => {
    const { out } = run('plain', nodeEvents);
    expect(out.lines()).toContain('[kmaster] prepare: set hostname ... done');
    expect(out.lines()).toContain('[kmaster] prepare: set hostname ...');
  });

  it('puts the node name on every line about a node, continuation lines included', () => {
    const { out, err } = run('plain', nodeEvents);
    const lines = [...out.lines(), ...err.lines()].filter((l) => !l.startsWith('==>'));
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(line).toMatch(/^\[(kmaster|knode1)\] /);
    expect(err.lines()).toContain('[knode1]     Failed to connect to bus');
  });

  it('has no ANSI codes even when colour is asked for', () => {
    const { all } = run('plain', nodeEvents, { color: true });
    expect(all).toBe(stripAnsi(all));
    expect(all).not.toContain('\u001b');
  });

  it('sends warnings and failures to stderr and shows a planned diff', () => {
    const { out, err } = run('plain', nodeEvents);
    expect(err.text()).toContain('[kmaster] warning: swap is on');
    expect(err.text()).toContain('[knode1] prepare: set hostname ... failed');
    expect(out.lines()).toContain('[kmaster]     +kmaster');
    expect(out.lines()).toContain('[kmaster] would change: write /etc/hostname');
  });

  it('hides the diff of an applied change unless verbose', () => {
    const applied: LogEvent = { kind: 'change', node: 'kmaster', description: 'write /etc/hostname', applied: true, diff: '-a\n+b' };
    expect(run('plain', [applied]).out.lines()).toEqual(['[kmaster] changed: write /etc/hostname']);
    expect(run('plain', [applied], { verbose: true }).out.lines()).toContain('[kmaster]     +b');
  });

  it('shows debug messages only under --verbose', () => {
    const debug: LogEvent = { kind: 'message', level: 'debug', text: 'ssh exec: uname -a', node: 'kmaster' };
    expect(run('plain', [debug]).all).toBe('');
    expect(run('plain', [debug], { verbose: true }).all).toBe('[kmaster] debug: ssh exec: uname -a\n');
    expect(run('json', [debug]).all).toBe('');
  });

  it('aligns tables and summarises nodes', () => {
    const { out } = run('plain', [
      { kind: 'table', title: 'Nodes', columns: ['NAME', 'IP'], rows: [['kmaster', '192.168.2.50'], ['n1', '192.168.2.51']] },
      {
        kind: 'summary',
        nodes: [
          { node: 'kmaster', outcome: 'changed', changes: 3 },
          { node: 'knode1', outcome: 'failed', changes: 0, error: 'unreachable' },
          { node: 'knode2', outcome: 'unchanged', changes: 0 },
        ],
      },
    ]);
    expect(out.lines()).toEqual([
      'Nodes',
      'NAME     IP',
      'kmaster  192.168.2.50',
      'n1       192.168.2.51',
      'Summary',
      'NODE     OUTCOME    CHANGES  ERROR',
      'kmaster  changed    3',
      'knode1   failed     0        unreachable',
      'knode2   unchanged  0',
      '1 changed, 1 unchanged, 1 failed',
    ]);
  });

  it('renders a run-ending error with where and hint', () => {
    const { err } = run('plain', [{ kind: 'error', message: 'duplicate static IP', exitCode: 1, where: 'kb.yaml:7:14', hint: 'give each node its own IP' }]);
    expect(err.lines()).toEqual(['error: duplicate static IP', '  at kb.yaml:7:14', 'hint: give each node its own IP']);
  });
});

describe('json view', () => {
  it('writes only JSON objects, one per line, on stdout', () => {
    const { out, err } = run('json', [...nodeEvents, { kind: 'table', title: 'T', columns: ['a'], rows: [['1']] }, { kind: 'result', command: 'validate', data: { ok: true } }]);
    expect(err.text()).toBe('');
    const parsed = out.lines().map((l) => JSON.parse(l) as { kind: string; node?: string; time: string });
    expect(parsed.map((p) => p.kind)).toEqual([...nodeEvents.map((e) => e.kind), 'table', 'result']);
    expect(parsed[1]).toMatchObject({ kind: 'node-step', node: 'kmaster', status: 'running' });
    expect(parsed.at(-2)).toMatchObject({ kind: 'table', columns: ['a'], rows: [['1']], records: [{ a: '1' }] });
    expect(Number.isNaN(Date.parse(parsed[0]!.time))).toBe(false);
  });
});

describe('tty view', () => {
  it('without a terminal, prints a ✔ / ✖ line per finished step with the node name', () => {
    const { out, err } = run('tty', nodeEvents);
    expect(out.lines()).toContain('… [kmaster] prepare: set hostname');
    expect(out.lines()).toContain('✔ [kmaster] prepare: set hostname');
    expect(err.lines()).toContain('✖ [knode1] prepare: set hostname');
    expect(out.text()).not.toContain('\u001b');
  });

  it('colours its lines when colour is on', () => {
    const { out } = run('tty', nodeEvents, { color: true });
    expect(out.text()).toContain('\u001b[32m✔\u001b[39m');
    expect(stripAnsi(out.text())).toContain('✔ [kmaster] prepare: set hostname');
  });
});

describe('redaction reaches every view', () => {
  const secret = 'hunter2-S3CRET';
  const leaky: LogEvent[] = [
    { kind: 'message', level: 'info', text: `password is ${secret}`, node: 'kmaster' },
    { kind: 'message', level: 'debug', text: `sshpass -p ${secret}` },
    { kind: 'node-step', node: 'kmaster', phase: 'k3s', status: 'failed', text: `join with ${secret}`, detail: `error: token ${secret} rejected` },
    { kind: 'node-step', node: 'knode1', phase: 'k3s', status: 'running', text: `install ${secret}` },
    { kind: 'change', node: 'kmaster', description: `write token ${secret}`, applied: false, diff: `-old\n+token: ${secret}\n` },
    { kind: 'table', title: secret, columns: ['k'], rows: [[secret]] },
    { kind: 'summary', nodes: [{ node: 'kmaster', outcome: 'failed', changes: 0, error: `bad ${secret}` }] },
    { kind: 'result', command: 'status', data: { nested: [{ token: secret }] } },
    { kind: 'error', message: `auth failed with ${secret}`, exitCode: 1, hint: `not ${secret}`, stack: `Error: ${secret}\n  at x` },
  ];
  for (const mode of ['tty', 'plain', 'json'] as const) {
    it(`${mode}: no secret in any output, masks visible`, () => {
      const { all } = run(mode, leaky, { verbose: true, secrets: [secret] });
      expect(all).not.toContain(secret);
      expect(all).toContain('***');
      expect(all.match(/\*\*\*/g)!.length).toBeGreaterThanOrEqual(mode === 'json' ? 13 : 9);
    });
  }
});

describe('mode and colour choice', () => {
  it('picks json for --json, tty for a terminal, plain otherwise', () => {
    expect(chooseLogMode({ json: true, stdoutIsTTY: true })).toBe('json');
    expect(chooseLogMode({ json: false, stdoutIsTTY: true })).toBe('tty');
    expect(chooseLogMode({ json: false, stdoutIsTTY: false })).toBe('plain');
  });
  it('turns colour off for --no-color, NO_COLOR and non-TTY', () => {
    expect(colorWanted({ flag: true, env: {}, isTTY: true })).toBe(true);
    expect(colorWanted({ flag: false, env: {}, isTTY: true })).toBe(false);
    expect(colorWanted({ flag: true, env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorWanted({ flag: true, env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(colorWanted({ flag: true, env: {}, isTTY: false })).toBe(false);
  });
});
