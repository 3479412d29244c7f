import { describe, expect, it } from 'vitest';
import { parseCgroups } from '../../src/facts/raw-parsers.js';

const PROC_CGROUPS_HYBRID = `#subsys_name\thierarchy\tnum_cgroups\tenabled
cpu\t1\t40\t1
memory\t4\t90\t1
pids\t8\t40\t1
`;

describe('parseCgroups', () => {
  it('cgroup v2: the root controllers', () => {
    expect(parseCgroups('cpuset cpu io memory pids\n', '')).toEqual({ version: 2, controllers: ['cpuset', 'cpu', 'io', 'memory', 'pids'], memoryEnabled: true });
  });

  it('cgroup v2 on a 6.12+ Pi without the boot flag: no memory, whatever /proc/cgroups says', () => {
    expect(parseCgroups('cpuset cpu io pids', '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t0\t1\t1\n').memoryEnabled).toBe(false);
  });

  it('a hybrid host (the lab): memory bound to a v1 hierarchy counts even when the v2 root shows none', () => {
    expect(parseCgroups('', PROC_CGROUPS_HYBRID)).toEqual({ version: 2, controllers: ['cpu', 'memory', 'pids'], memoryEnabled: true });
  });

  it('cgroup v1 with memory disabled on the kernel command line', () => {
    expect(parseCgroups(undefined, PROC_CGROUPS_HYBRID.replace('memory\t4\t90\t1', 'memory\t0\t1\t0'))).toEqual({ version: 1, controllers: ['cpu', 'pids'], memoryEnabled: false });
  });
});
