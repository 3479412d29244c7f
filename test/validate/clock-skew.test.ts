import { describe, expect, it } from 'vitest';
import { clockSkewProblems } from '../../src/validate/clock-skew.js';

const sample = (node: string, offsetMs: number, uncertaintyMs = 0) => ({ node, nodeMs: 5_000_000 + offsetMs, sampledAtMs: 5_000_000, uncertaintyMs });

describe('clockSkewProblems', () => {
  it('is quiet for one node and for nodes within 30 s', () => {
    expect(clockSkewProblems([sample('a', 999_999)])).toEqual([]);
    expect(clockSkewProblems([sample('a', 0), sample('b', 29_000), sample('c', 15_000)])).toEqual([]);
  });

  it('blames the minority; on a tie, the group farther from the workstation', () => {
    expect(clockSkewProblems([sample('a', 0), sample('b', 1000), sample('c', -120_000)]).map((p) => p.node)).toEqual(['c']);
    expect(clockSkewProblems([sample('a', 100_000), sample('b', 1000)]).map((p) => p.node)).toEqual(['a']);
  });

  it('allows for the round trip', () => {
    expect(clockSkewProblems([sample('a', 0), sample('b', 31_000)])).toHaveLength(1);
    expect(clockSkewProblems([sample('a', 0, 600), sample('b', 31_000, 600)])).toEqual([]);
  });
});
