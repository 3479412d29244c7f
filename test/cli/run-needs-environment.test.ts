import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initAction } from '../../src/actions/init.js';
import { planAction } from '../../src/actions/plan.js';
import type { CommandContext } from '../../src/actions/options.js';
import { UserError } from '../../src/errors.js';
import { createMemoryLogger } from '../../src/log/logger.js';

// What validate only warns about stops init and plan before any phase (so before any connection).
// The node's address is loopback on the discard port: nothing is ever reached even if a phase ran.
const dir = mkdtempSync(join(tmpdir(), 'kb-needs-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const VARIABLE = 'KB_TEST_PASSWORD_NEVER_SET_7F3A';
const file = join(dir, 'kb.yaml');
writeFileSync(file, `cluster: { name: pi }\nssh: { port: 9, password: { env: ${VARIABLE} } }\nnodes: [{ name: kmaster, role: server, address: 127.0.0.1 }]\n`);

const context = (): CommandContext & { log: ReturnType<typeof createMemoryLogger> } => ({
  options: { inventory: file, dryRun: false, yes: true, json: false, verbose: false, color: false, interactive: false },
  log: createMemoryLogger(),
});

describe('a run needs what validate only warns about', () => {
  it.each([
    ['plan', (ctx: CommandContext) => planAction(ctx, {})],
    ['init', (ctx: CommandContext) => initAction(ctx, { skipPrepare: false, skipAddons: false })],
  ])('%s refuses without the password variable, before any phase', async (_name, action) => {
    expect(process.env[VARIABLE]).toBeUndefined();
    const ctx = context();
    await expect(action(ctx)).rejects.toBeInstanceOf(UserError);
    const texts = ctx.log.events.map((e) => ('text' in e ? e.text : e.kind));
    expect(texts.some((t) => t.includes(`error: password comes from environment variable ${VARIABLE}, which is not set (hint: export ${VARIABLE}=`))).toBe(true);
    expect(ctx.log.events.filter((e) => e.kind === 'phase-start')).toEqual([]);
  });
});
