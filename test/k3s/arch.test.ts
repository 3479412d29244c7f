import { describe, expect, it } from 'vitest';
import { k3sArch } from '../../src/facts/os.js';
import { k3sArchOf } from '../../src/k3s/release.js';
import { archOf } from '../../src/phases/k3s-install.js';
import type { NodeState } from '../../src/phases/context.js';
import { nodeProblems } from '../../src/validate/node-rules.js';
import { facts, inventory, node } from './fixtures.js';

const stateOn = (machine: string) => ({ node: node('n1', 'agent', 1, '10.0.0.2'), facts: facts({}, machine) }) as unknown as NodeState;

/** What each of the three users of the mapping makes of a machine; undefined where it refuses. */
function views(machine: string) {
  const attempt = <T>(f: () => T) => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return { validate: k3sArch({ arch: machine }), download: attempt(() => k3sArchOf(machine)), install: attempt(() => archOf(stateOn(machine))) };
}

describe('one architecture mapping (install.sh: arm* → armhf; armv6l refused: the armhf build needs ARMv7)', () => {
  it.each([
    ['x86_64', { validate: 'amd64', download: 'amd64', install: 'amd64' }],
    ['aarch64', { validate: 'arm64', download: 'arm64', install: 'arm64' }],
    ['armv7l', { validate: 'armhf', download: 'arm', install: 'arm' }],
    ['armv8l', { validate: 'armhf', download: 'arm', install: 'arm' }],
    ['armv6l', { validate: undefined, download: undefined, install: undefined }],
    ['riscv64', { validate: undefined, download: undefined, install: undefined }],
  ])('%s', (machine, want) => {
    expect(views(machine)).toEqual(want);
  });

  it('validate refuses a machine k3s does not run on, naming it', () => {
    const problems = nodeProblems(node('n1', 'agent', 1, '10.0.0.2'), facts({}, 'armv6l'), inventory());
    expect(problems).toContainEqual(expect.objectContaining({ severity: 'error', node: 'n1', message: 'k3s has no build for the architecture armv6l' }));
  });
});
