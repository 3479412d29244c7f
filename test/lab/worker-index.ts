/**
 * Lab test files run two at a time (vitest.config.ts); each worker gets its own lab index, so its
 * subnet (10.77.N.0/24), bridge, lab id and /run/kbootstrap-lab/kblabN never meet the other's.
 * Workers start at index 20 (VITEST_POOL_ID 1 → 21, 2 → 22), away from the indexes people use by hand.
 */
export const WORKER_INDEX_BASE = 20;

/**
 * The lab index a test worker uses: an explicit KBOOTSTRAP_LAB_INDEX wins (vitest.config.ts then runs
 * the lab files one at a time), else WORKER_INDEX_BASE + the worker's VITEST_POOL_ID; undefined
 * outside a vitest worker (startLab's own default, 0, applies).
 */
export function workerLabIndex(env: NodeJS.ProcessEnv): string | undefined {
  if (env.KBOOTSTRAP_LAB_INDEX !== undefined) return env.KBOOTSTRAP_LAB_INDEX;
  const pool = Number(env.VITEST_POOL_ID);
  if (!Number.isInteger(pool) || pool < 1) return undefined;
  return String(WORKER_INDEX_BASE + pool);
}
