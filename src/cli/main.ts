#!/usr/bin/env node
import { defaultActions } from './actions.js';
import { processIO } from './context.js';
import { runCli } from './run.js';
import { onStopSignals, type StopSignal } from '../phases/interrupt.js';

// `kbootstrap --help | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Ctrl-C / SIGTERM: the run stops starting work, lets what is in flight finish, prints its summary, exits 130.
const stop: StopSignal = { requested: false };
onStopSignals(stop, (text) => process.stderr.write(`\n${text}\n`), (code) => process.exit(code));

process.exitCode = await runCli(process.argv.slice(2), { ...processIO(), stop }, defaultActions);
// Anything left (a half-closed socket) must not keep an interrupted process alive.
if (stop.requested) process.exit(process.exitCode);
