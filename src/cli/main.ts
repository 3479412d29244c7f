#!/usr/bin/env node
import { defaultActions } from './actions.js';
import { processIO } from './context.js';
import { runCli } from './run.js';

// `kbootstrap --help | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIO(), defaultActions);
