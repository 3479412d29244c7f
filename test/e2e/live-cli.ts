import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEvent } from '../../src/log/events.js';
import type { CliRun } from './run-cli.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/**
 * `kbootstrap ARGS --json` as a child process the test can signal: node itself with tsx as a loader
 * (no wrapper process in between), `onEvent` sees every JSON event as it is printed.
 */
export function startKbootstrap(args: string[], env: Record<string, string>, onEvent: (e: LogEvent, child: ChildProcess) => void = () => {}): { child: ChildProcess; done: Promise<CliRun> } {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const events: LogEvent[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      if (!l.trim()) continue;
      const e = JSON.parse(l) as LogEvent;
      events.push(e);
      onEvent(e, child);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, events, ms: Date.now() - started }));
  });
  return { child, done };
}

/** Every file under `dir` with its sha256 (and mode): the workstation's side of "plan changes nothing". */
export async function treeHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        out[`${p}/`] = 'dir';
        await walk(p);
      } else {
        out[p] = `${createHash('sha256').update(await readFile(p)).digest('hex')} ${((await stat(p)).mode & 0o777).toString(8)}`;
      }
    }
  };
  await walk(dir);
  return out;
}
