import { describe, expect, it, vi } from 'vitest';
import { confirmChanges } from '../../src/actions/confirm.js';
import type { CommandContext, GlobalOptions } from '../../src/actions/options.js';
import { UserError } from '../../src/errors.js';
import { createMemoryLogger } from '../../src/log/logger.js';

const base: GlobalOptions = { inventory: 'kb.yaml', dryRun: false, yes: false, json: false, verbose: false, color: false, interactive: true };

function setup(options: Partial<GlobalOptions>, answer: boolean) {
  const log = createMemoryLogger();
  const ask = vi.fn(async (_question: string) => answer);
  const cmd: CommandContext = { options: { ...base, ...options }, log, ask };
  return { cmd, ask, log };
}

describe('confirmChanges', () => {
  it('shows the summary and returns the answer of the prompt handed in', async () => {
    const s = setup({}, false);
    await expect(confirmChanges('kmaster: 3 changes', s.cmd)).resolves.toBe(false);
    expect(s.ask).toHaveBeenCalledWith('Apply these changes to the nodes?');
    expect(s.log.events).toEqual([{ kind: 'message', level: 'info', text: 'kmaster: 3 changes' }]);
  });

  it('asks the question given', async () => {
    const s = setup({}, true);
    await expect(confirmChanges('', s.cmd, 'Reset cluster pi?')).resolves.toBe(true);
    expect(s.ask).toHaveBeenCalledWith('Reset cluster pi?');
    expect(s.log.events).toEqual([]);
  });

  it('--yes answers yes without asking', async () => {
    const s = setup({ yes: true, interactive: false }, false);
    await expect(confirmChanges('summary', s.cmd)).resolves.toBe(true);
    expect(s.ask).not.toHaveBeenCalled();
  });

  it.each([
    ['no terminal', { interactive: false }, true],
    ['no prompt handed in', {}, false],
  ])('refuses to go on where it cannot ask (%s), and says to pass --yes', async (_why, options, withPrompt) => {
    const s = setup(options, true);
    const cmd = withPrompt ? s.cmd : { ...s.cmd, ask: undefined };
    const run = confirmChanges('summary', cmd);
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toMatchObject({ hint: expect.stringContaining('--yes') });
    expect(s.ask).not.toHaveBeenCalled();
  });
});
