import { describe, expect, it, vi } from 'vitest';
import { confirmChanges } from '../../src/cli/confirm.js';
import type { GlobalOptions } from '../../src/actions/options.js';
import type { WizardPrompts } from '../../src/cli/wizard-prompts.js';
import { UserError } from '../../src/errors.js';
import { createMemoryLogger } from '../../src/log/logger.js';

const base: GlobalOptions = { inventory: 'kb.yaml', dryRun: false, yes: false, json: false, verbose: false, color: false, interactive: true };

function setup(options: Partial<GlobalOptions>, answer: boolean) {
  const log = createMemoryLogger();
  const confirm = vi.fn(async () => answer);
  const prompts = { confirm } as unknown as WizardPrompts;
  return { ctx: { options: { ...base, ...options }, log }, prompts, confirm, log };
}

describe('confirmChanges', () => {
  it('shows the summary and returns the answer in a terminal', async () => {
    const s = setup({}, false);
    await expect(confirmChanges('kmaster: 3 changes', s.ctx, { prompts: s.prompts })).resolves.toBe(false);
    expect(s.confirm).toHaveBeenCalledWith({ message: 'Apply these changes to the nodes?', default: false });
    expect(s.log.events).toEqual([{ kind: 'message', level: 'info', text: 'kmaster: 3 changes' }]);
  });

  it('--yes answers yes without asking', async () => {
    const s = setup({ yes: true, interactive: false }, false);
    await expect(confirmChanges('summary', s.ctx, { prompts: s.prompts })).resolves.toBe(true);
    expect(s.confirm).not.toHaveBeenCalled();
  });

  it('refuses to go on where it cannot ask, and says to pass --yes', async () => {
    const s = setup({ interactive: false }, true);
    const run = confirmChanges('summary', s.ctx, { prompts: s.prompts });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toMatchObject({ hint: expect.stringContaining('--yes') });
    expect(s.confirm).not.toHaveBeenCalled();
  });
});
