import { afterEach, describe, expect, it, vi } from 'vitest';
import { runPerNode } from '../../src/phases/manager.js';
import { RESTORE_BACKUPS_COMMAND, uninstallAndRestore } from '../../src/phases/restore.js';
import { NodeCommandError } from '../../src/ssh/errors.js';
import { changeLines, cleanWorlds, errorsOf, world } from './orchestration-world.js';

vi.mock('../../src/facts/gather.js', () => import('../support/fake-gather.js'));
afterEach(cleanWorlds);

describe('uninstall and restore, per node', () => {
  it('a node kbootstrap never touched: no change, no command', async () => {
    const w = world();
    await runPerNode(w.ctx, 'reset', w.ctx.states, (s) => uninstallAndRestore(w.ctx, s));
    expect(changeLines(w.ctx.log.events)).toEqual([]);
    expect(Object.values(w.nodes).map((n) => n.commands)).toEqual([[], [], []]);
  });

  it('files kbootstrap replaced come back, files it created go, the backups are dropped', async () => {
    const w = world();
    const node = w.nodes.knode1!;
    await node.writeFile('/etc/hostname', 'knode1\n', { backup: true });
    await node.writeFile('/etc/rpi/swap.conf.d/90-kbootstrap.conf', '[Main]\nMechanism=none\n', { backup: true });
    const state = w.ctx.states[1]!;
    state.facts = node.gathered();
    await uninstallAndRestore(w.ctx, state);
    expect(changeLines(w.ctx.log.events)).toEqual(['knode1: restore 2 file(s) kbootstrap changed, from /var/lib/kbootstrap/backup']);
    expect(node.commands).toEqual([RESTORE_BACKUPS_COMMAND]);
    expect(node.files.get('/etc/hostname')).toBe('raspberrypi\n');
    expect(node.files.has('/etc/rpi/swap.conf.d/90-kbootstrap.conf')).toBe(false);
    expect(node.gathered().backups).toEqual([]);
  });

  it('without facts (gathering failed) both steps are attempted; a failing restore fails that node alone, naming it', async () => {
    const w = world();
    const state = w.ctx.states[2]!;
    state.facts = undefined;
    const node = w.nodes.knode2!;
    const answer = node['answer'].bind(node);
    node['answer'] = (cmd: string, opts: object) => (cmd === RESTORE_BACKUPS_COMMAND ? { code: 1, stderr: 'cp: cannot create regular file: Read-only file system' } : answer(cmd, opts));
    await runPerNode(w.ctx, 'reset', w.ctx.states.slice(1), (s) => uninstallAndRestore(w.ctx, s));
    // A change is reported once applied: the failed restore shows as the node's error, not as a change.
    expect(changeLines(w.ctx.log.events)).toEqual(['knode2: uninstall k3s agent']);
    expect(node.commands).toEqual([expect.stringMatching(/k3s-agent-uninstall\.sh/), RESTORE_BACKUPS_COMMAND]);
    expect(state.error).toBeInstanceOf(NodeCommandError);
    expect(errorsOf(w.ctx)).toEqual({ knode2: 'restore backed-up files failed on knode2 (exit 1): cp: cannot create regular file: Read-only file system' });
  });
});
