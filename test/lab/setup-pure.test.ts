// The set-up's pure parts (no root needed): binfmt entry checks, build progress lines, the root
// filesystems `npm test` builds before the lab suites.
import { describe, expect, it } from 'vitest';
import { emulationProblems, parseBinfmtEntry } from './binfmt.js';
import { BuildProgress } from './rootfs-build.js';
import { labTestRootfs } from './test-rootfs.js';
import { buildRecipe, recipeHash } from './variants.js';

const entry = (flags: string, state = 'enabled') =>
  `${state}\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: ${flags}\noffset 0\nmagic 7f454c460201010000000000000000000200b700\n`;

describe('qemu-aarch64 binfmt entry', () => {
  it('reads the kernel\'s entry', () => {
    expect(parseBinfmtEntry(entry('POCF'))).toEqual({ enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'POCF' });
    expect(parseBinfmtEntry(entry('PF', 'disabled')).enabled).toBe(false);
  });

  it('accepts POCF and names each missing flag with what breaks without it', () => {
    expect(emulationProblems(parseBinfmtEntry(entry('POCF')))).toEqual([]);
    const [problem] = emulationProblems(parseBinfmtEntry(entry('POF')));
    expect(problem).toContain('missing C');
    expect(problem).toContain('effective uid is not 0');
    expect(emulationProblems(parseBinfmtEntry(entry('F')))[0]).toMatch(/missing P .*O .*C /);
  });

  it('reports a missing or disabled entry', () => {
    expect(emulationProblems(undefined)).toEqual(['no qemu-aarch64 entry is registered in binfmt_misc']);
    expect(emulationProblems(parseBinfmtEntry(entry('POCF', 'disabled')))).toEqual(['the qemu-aarch64 entry is disabled']);
  });
});

describe('root filesystem build progress', () => {
  it('says the stage at once, then the packages done and the time, at most every interval', () => {
    const lines: string[] = [];
    const p = new BuildProgress('building trixie/arm64', (m) => lines.push(m), 60_000);
    p.total = 3;
    p.begin('configuring (emulated arm64)');
    p.step();
    p.step();
    expect(lines).toEqual(['building trixie/arm64: configuring (emulated arm64), 0 s so far']);
    const q = new BuildProgress('building bullseye/amd64', (m) => lines.push(m), 0);
    q.total = 2;
    q.begin('unpacking (native dpkg)');
    q.step();
    expect(lines.at(-1)).toBe('building bullseye/amd64: unpacking (native dpkg) 1/2 packages, 0 s so far');
  });
});

describe('root filesystems for the lab tests', () => {
  it('lists each variant/arch once, the arm64 ones (longest builds) first', () => {
    const all = labTestRootfs({});
    expect(all.map((r) => `${r.variant}:${r.arch}`)).toEqual([
      'trixie:arm64', 'bullseye:arm64', 'netplan:arm64', 'trixie:amd64', 'bookworm:amd64', 'bullseye:amd64', 'netplan:amd64', 'trixie-cloudinit:amd64',
    ]);
    expect(labTestRootfs({ KBOOTSTRAP_LAB_ARM64_VARIANTS: 'bookworm', STANDIN_LAB_ARCH: 'amd64' }).filter((r) => r.arch === 'arm64')).toEqual([
      { variant: 'bookworm', arch: 'arm64' },
    ]);
  });

  it('no recipe asks for ca-certificates, and a recipe change changes the cache key', () => {
    const r = buildRecipe('trixie', 'arm64');
    expect(r.packages).not.toContain('ca-certificates');
    expect(recipeHash({ ...r, packages: [...r.packages, 'ca-certificates'] })).not.toBe(recipeHash(r));
  });
});
