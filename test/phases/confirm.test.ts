import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors.js';
import { confirmPhase, previewPhase } from '../../src/phases/confirm.js';
import { change } from '../../src/phases/change.js';
import { DeclinedError } from '../../src/phases/errors.js';
import { runPhases, type Phase } from '../../src/phases/manager.js';
import { testContext, testInventory } from './fixtures.js';

// The confirmation steps of the phase lists, with no node reached: connect is never called here.
const neverConnect = vi.fn(async () => {
  throw new Error('connect must not be called');
});

/** A phase that plans one change on every node, to be previewed. */
const oneChange: Phase = {
  title: 'One change',
  run: async (ctx, nodes) => {
    for (const s of nodes) await change(ctx, s, `touch /etc/x on ${s.node.name}`, async () => undefined);
  },
};

describe('confirmation phases', () => {
  it('a no stops the run before the next phase (DeclinedError), and the question is the one given', async () => {
    const ctx = testContext(testInventory(), neverConnect);
    const confirm = vi.fn(async () => false);
    ctx.confirm = confirm;
    const after = { title: 'After', run: vi.fn(async () => undefined) };
    await expect(runPhases(ctx, [confirmPhase('Reset cluster pi?', () => 'This uninstalls k3s.'), after])).rejects.toBeInstanceOf(DeclinedError);
    expect(confirm).toHaveBeenCalledWith('This uninstalls k3s.', 'Reset cluster pi?');
    expect(after.run).not.toHaveBeenCalled();
    expect(ctx.log.events.filter((e) => e.kind === 'phase-start')).toEqual([]);
  });

  it('is left out under --dry-run, and without a way to ask it is an error, not a yes', async () => {
    const dry = testContext(testInventory(), neverConnect, true);
    dry.confirm = vi.fn(async () => false);
    await runPhases(dry, [confirmPhase('Reset?')]);
    expect(dry.confirm).not.toHaveBeenCalled();

    const noAsk = testContext(testInventory(), neverConnect);
    await expect(runPhases(noAsk, [confirmPhase('Reset?')])).rejects.toBeInstanceOf(UserError);
  });

  it("init's preview plans the work on a dry-run copy, asks with a count per node, and leaves the context as it was", async () => {
    const ctx = testContext(testInventory(), neverConnect);
    let summary = '';
    ctx.confirm = async (s) => ((summary = s), true);
    await runPhases(ctx, [previewPhase([oneChange])]);
    expect(ctx.dryRun).toBe(false);
    const names = ctx.states.map((s) => s.node.name);
    expect(summary).toBe(`Planned (listed above): ${names.map((n) => `${n}: 1 change(s)`).join('; ')}.`);
    expect(ctx.log.events.filter((e) => e.kind === 'change').map((e) => 'applied' in e && e.applied)).toEqual(names.map(() => false));
    expect(ctx.states.map((s) => s.changes)).toEqual(names.map(() => 0));
  });

  it('the preview is left out with --yes', async () => {
    const ctx = testContext(testInventory(), neverConnect);
    ctx.yes = true;
    ctx.confirm = vi.fn(async () => true);
    await runPhases(ctx, [previewPhase([oneChange])]);
    expect(ctx.confirm).not.toHaveBeenCalled();
    expect(ctx.log.events.filter((e) => e.kind === 'change')).toEqual([]);
  });
});
