import { describe, expect, it } from 'vitest';
import { labSubnet } from './paths.js';
import { WORKER_INDEX_BASE, workerLabIndex } from './worker-index.js';

describe('lab index per test worker', () => {
  it('gives each vitest worker its own index from its pool id', () => {
    expect(workerLabIndex({ VITEST_POOL_ID: '1' })).toBe(String(WORKER_INDEX_BASE + 1));
    expect(workerLabIndex({ VITEST_POOL_ID: '2' })).toBe(String(WORKER_INDEX_BASE + 2));
    expect(labSubnet(Number(workerLabIndex({ VITEST_POOL_ID: '2' }))).cidr).toBe('10.77.22.0/24');
  });

  it('lets an explicit KBOOTSTRAP_LAB_INDEX win, 0 included', () => {
    expect(workerLabIndex({ KBOOTSTRAP_LAB_INDEX: '8', VITEST_POOL_ID: '2' })).toBe('8');
    expect(workerLabIndex({ KBOOTSTRAP_LAB_INDEX: '0', VITEST_POOL_ID: '1' })).toBe('0');
  });

  it('sets nothing outside a vitest worker', () => {
    expect(workerLabIndex({})).toBeUndefined();
    expect(workerLabIndex({ VITEST_POOL_ID: 'x' })).toBeUndefined();
  });
});
