import { afterEach, describe, expect, it } from 'vitest';
import { parseFacts } from '../../src/facts/parse.js';
import { fakeNode, type FakeNode } from './fixture-tree.js';

/** The facts script reports a reboot marker only while the boot it was written in lasts. */
let node: FakeNode | undefined;
afterEach(() => node?.cleanup());

const BOOT = '6f1c0a52-3c1e-4c59-9d6b-0d6f3b1e2a77';
const tree = (marker?: string) =>
  fakeNode({
    files: {
      '/etc/os-release': 'ID=debian\nVERSION_CODENAME=trixie\n',
      '/proc/sys/kernel/random/boot_id': `${BOOT}\n`,
      ...(marker === undefined ? {} : { '/var/lib/kbootstrap/reboot-pending': marker }),
    },
  });

describe('reboot-pending facts', () => {
  it('a marker written in this boot is pending, with its reasons', () => {
    node = tree(`${BOOT}\nboot config changed\nnetwork changed\n`);
    const facts = parseFacts(node.run().stdout, 'kmaster');
    expect(facts.bootId).toBe(BOOT);
    expect(facts.rebootPending).toEqual(['boot config changed', 'network changed']);
  });

  it('a marker from an earlier boot is spent: the node has rebooted since', () => {
    node = tree('0d6f3b1e-0000-4c59-9d6b-6f1c0a523c1e\nboot config changed\n');
    expect(parseFacts(node.run().stdout, 'kmaster').rebootPending).toEqual([]);
  });

  it('no marker: nothing pending', () => {
    node = tree();
    expect(parseFacts(node.run().stdout, 'kmaster').rebootPending).toEqual([]);
  });
});
