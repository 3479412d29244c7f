import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three groups, one after the other (sequence.groupOrder): unit tests; the lab files, two at a time
// (more on a machine with more cores), each worker on its own lab index (test/lab/worker-setup.ts:
// 21, 22, ...); then the vm files (QEMU guests under software emulation, CPU-bound: alone, one at a
// time, so a starved guest cannot miss its SSH keepalives). An explicit KBOOTSTRAP_LAB_INDEX is one lab, so the lab files then run one at
// a time on it. vitest has one forks pool for all projects: its size is set here, at the root
// (vitest's default, cores - 1, but at least 2: lab files mostly wait on boots and polls).
const explicitIndex = process.env.KBOOTSTRAP_LAB_INDEX !== undefined;
const WORKERS = Math.max(2, availableParallelism() - 1);
const labProject = { pool: 'forks' as const, setupFiles: ['test/lab/worker-setup.ts'], testTimeout: 900_000, hookTimeout: 900_000 };

export default defineConfig({
  test: {
    poolOptions: { forks: { maxForks: WORKERS } },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/lab/**', 'test/e2e/**', 'node_modules/**'],
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: ['test/lab/vm/**', 'node_modules/**'],
          ...labProject,
          poolOptions: { forks: { singleFork: explicitIndex } },
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'lab-vm',
          include: ['test/lab/vm/**/*.test.ts'],
          ...labProject,
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
