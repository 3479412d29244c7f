import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LogEvent } from '../../src/log/events.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  events: LogEvent[];
  ms: number;
}

/** Runs `kbootstrap ARGS` as a user would (a child process, no TTY) and parses --json output. */
export async function kbootstrap(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = args.includes('--json')
        ? stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LogEvent)
        : [];
      resolve({ code: code ?? -1, stdout, stderr, events, ms: Date.now() - started });
    });
  });
}

/** The change lines per node, in the order they happened on that node (nodes run in parallel). */
export function changesOf(events: LogEvent[]): Record<string, string[]> {
  const byNode: Record<string, string[]> = {};
  for (const e of events) if (e.kind === 'change') (byNode[e.node] ??= []).push(e.description);
  return byNode;
}

export function summaryOf(events: LogEvent[]): Record<string, string> {
  const s = events.find((e) => e.kind === 'summary');
  return s && s.kind === 'summary' ? Object.fromEntries(s.nodes.map((n) => [n.node, n.outcome])) : {};
}

export function sshStatsOf(events: LogEvent[]): Record<string, { connections: number; execs: number }> {
  return Object.fromEntries(
    events.flatMap((e) => (e.kind === 'result' && e.command === 'ssh-stats' ? [[(e.data as { node: string }).node, e.data as { connections: number; execs: number }]] : [])),
  );
}
