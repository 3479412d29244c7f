import { describe, expect, it } from 'vitest';
import { editCmdline, inspectCmdline } from '../../src/os/cmdline.js';

const BASE = 'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait';

describe('cmdline.txt edits', () => {
  it('appends both cgroup flags at the end of the one line, keeping the trailing newline', () => {
    expect(editCmdline(`${BASE}\n`)).toEqual({ content: `${BASE} cgroup_memory=1 cgroup_enable=memory\n`, actions: ['add cgroup_memory=1', 'add cgroup_enable=memory'] });
  });

  it('changes nothing when both flags are there (wherever they are)', () => {
    expect(editCmdline(`cgroup_enable=memory ${BASE} cgroup_memory=1\n`)).toEqual({ actions: [] });
  });

  it('adds only the missing one when cgroup_enable=memory alone is present', () => {
    expect(editCmdline(`${BASE} cgroup_enable=memory\n`)).toEqual({ content: `${BASE} cgroup_enable=memory cgroup_memory=1\n`, actions: ['add cgroup_memory=1'] });
  });

  it('removes cgroup_disable=memory and says so', () => {
    expect(editCmdline(`${BASE} cgroup_disable=memory cgroup_memory=1 cgroup_enable=memory\n`)).toEqual({
      content: `${BASE} cgroup_memory=1 cgroup_enable=memory\n`,
      actions: ['remove cgroup_disable=memory'],
    });
  });

  it('removes duplicates of our flags but keeps other repeated arguments', () => {
    expect(editCmdline(`console=tty1 console=tty1 cgroup_memory=1 cgroup_memory=1 cgroup_enable=memory\n`)).toEqual({
      content: 'console=tty1 console=tty1 cgroup_memory=1 cgroup_enable=memory\n',
      actions: ['remove the duplicate cgroup_memory=1'],
    });
  });

  it('collapses extra spaces only when it has to rewrite the line', () => {
    expect(editCmdline(`console=tty1   root=/dev/mmcblk0p2  rootwait \n`)).toEqual({
      content: 'console=tty1 root=/dev/mmcblk0p2 rootwait cgroup_memory=1 cgroup_enable=memory\n',
      actions: ['add cgroup_memory=1', 'add cgroup_enable=memory'],
    });
    expect(editCmdline('console=tty1   cgroup_memory=1  cgroup_enable=memory\n')).toEqual({ actions: [] });
  });

  it('adds the trailing newline a file was missing', () => {
    expect(editCmdline(BASE).content).toBe(`${BASE} cgroup_memory=1 cgroup_enable=memory\n`);
  });

  it('joins two lines written by mistake into one', () => {
    expect(editCmdline(`${BASE}\ncgroup_enable=memory\n`)).toEqual({
      content: `${BASE} cgroup_enable=memory cgroup_memory=1\n`,
      actions: ['add cgroup_memory=1', 'join 2 lines into one (cmdline.txt must be a single line)'],
    });
    expect(editCmdline(`${BASE} cgroup_memory=1\ncgroup_enable=memory\n`).actions).toEqual(['join 2 lines into one (cmdline.txt must be a single line)']);
  });

  it('keeps quoted arguments with spaces whole', () => {
    expect(editCmdline('console=tty1 dyndbg="file x.c +p"\n').content).toBe('console=tty1 dyndbg="file x.c +p" cgroup_memory=1 cgroup_enable=memory\n');
  });

  it('is idempotent on its own output', () => {
    for (const input of [`${BASE}\n`, BASE, `${BASE}\ncgroup_disable=memory\n`, 'cgroup_memory=1 cgroup_memory=1']) {
      const once = editCmdline(input).content ?? input;
      expect(editCmdline(once)).toEqual({ actions: [] });
    }
  });

  it('inspectCmdline counts flags, disables and lines', () => {
    expect(inspectCmdline(`${BASE} cgroup_memory=1 cgroup_memory=1\ncgroup_disable=memory\n`)).toEqual({
      counts: { 'cgroup_memory=1': 2, 'cgroup_enable=memory': 0 },
      hasDisable: true,
      lines: 2,
    });
  });
});
