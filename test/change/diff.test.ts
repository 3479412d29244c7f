import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/change/diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', '/etc/x')).toBe('');
  });

  it('shows a new file against /dev/null', () => {
    expect(unifiedDiff(null, 'one\ntwo\n', '/etc/new')).toBe('--- /dev/null\n+++ b/etc/new\n@@ -0,0 +1,2 @@\n+one\n+two\n');
  });

  it('shows a changed line with three lines of context and separate hunks far apart', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const after = before.replace('l2\n', 'L2\n').replace('l18\n', 'L18\n');
    expect(unifiedDiff(before, after, '/f')).toBe(
      ['--- a/f', '+++ b/f', '@@ -1,5 +1,5 @@', ' l1', '-l2', '+L2', ' l3', ' l4', ' l5', '@@ -15,6 +15,6 @@', ' l15', ' l16', ' l17', '-l18', '+L18', ' l19', ' l20', ''].join('\n'),
    );
  });

  it('merges nearby changes into one hunk and counts an appended block', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\nd\n', '/f')).toBe('--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n');
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff('a\nb', 'a\nb\n', '/f')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  });

  it('handles a deletion-only hunk', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nc\n', '/f', 0)).toBe('--- a/f\n+++ b/f\n@@ -2 +1,0 @@\n-b\n');
  });
});
