#!/usr/bin/env node
import { defaultActions } from './actions.js';
import { processIO } from './context.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), processIO(), defaultActions);
