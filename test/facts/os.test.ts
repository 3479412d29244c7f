import { describe, expect, it } from 'vitest';
import { detectBoard, detectOs, k3sArch } from '../../src/facts/os.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { makeFacts } from '../support/facts-factory.js';

const os = (osRelease: Partial<NodeFacts['osRelease']>, boardModel?: string, files: NodeFacts['files'] = {}) =>
  detectOs(makeFacts({ osRelease: { id: 'debian', ...osRelease }, boardModel, files }));

describe('detectOs', () => {
  it('treats Debian 11/12/13 like Pi OS of the same codename; raspios when the board or rpi-issue says so', () => {
    expect(os({ versionId: '13', codename: 'trixie' }, undefined)).toEqual({ family: 'debian', release: 'trixie', supported: true });
    expect(os({ versionId: '12' }, 'Raspberry Pi 4 Model B Rev 1.4')).toEqual({ family: 'raspios', release: 'bookworm', supported: true });
    expect(os({ id: 'raspbian', versionId: '11', codename: 'bullseye' })).toEqual({ family: 'raspios', release: 'bullseye', supported: true });
    expect(os({ codename: 'bookworm' }, undefined, { '/etc/rpi-issue': { path: '/etc/rpi-issue', content: 'Raspberry Pi reference' } }).family).toBe('raspios');
  });

  it('supports Buster with a caveat, refuses older Debian', () => {
    expect(os({ versionId: '10', codename: 'buster' })).toMatchObject({ release: 'buster', supported: true, why: expect.stringContaining('iptables') });
    expect(os({ versionId: '9', codename: 'stretch' })).toMatchObject({ supported: false, why: expect.stringContaining('too old') });
  });

  it('names Ubuntu releases by version, with the extra-modules caveat on a Pi for 21.10-23.10', () => {
    expect(os({ id: 'ubuntu', versionId: '24.04', codename: 'noble' })).toEqual({ family: 'ubuntu', release: 'ubuntu-24.04', supported: true });
    expect(os({ id: 'ubuntu', versionId: '22.04' }, 'Raspberry Pi 4 Model B')).toMatchObject({ supported: true, why: expect.stringContaining('linux-modules-extra-raspi') });
    expect(os({ id: 'ubuntu', versionId: '18.04' })).toMatchObject({ supported: false });
  });

  it('refuses other systems', () => {
    expect(os({ id: 'fedora', versionId: '40', prettyName: 'Fedora Linux 40' })).toMatchObject({ family: 'unknown', supported: false, why: expect.stringContaining('Fedora') });
  });
});

describe('detectBoard', () => {
  it('recognises Pi models and compares with the inventory', () => {
    expect(detectBoard({ boardModel: 'Raspberry Pi 4 Model B Rev 1.5' }, 'rpi4')).toEqual({ detected: 'rpi4', consistent: true });
    expect(detectBoard({ boardModel: 'Raspberry Pi 5 Model B Rev 1.0' }, 'rpi5')).toEqual({ detected: 'rpi5', consistent: true });
    expect(detectBoard({ boardModel: 'Raspberry Pi 5 Model B Rev 1.0' }, 'rpi4')).toMatchObject({ detected: 'rpi5', consistent: false });
    expect(detectBoard({ boardModel: undefined }, 'rpi4')).toMatchObject({ detected: 'other', consistent: false, why: expect.stringContaining('no Raspberry Pi model') });
    expect(detectBoard({ boardModel: 'Raspberry Pi 3 Model B Plus Rev 1.3' }, 'generic')).toMatchObject({ detected: 'rpi-other', consistent: false });
    expect(detectBoard({ boardModel: undefined }, 'vagrant')).toEqual({ detected: 'other', consistent: true });
  });
});

describe('k3sArch', () => {
  it.each([['aarch64', 'arm64'], ['x86_64', 'amd64'], ['armv7l', 'armhf'], ['armv6l', undefined], ['i686', undefined]])('%s → %s', (arch, want) => {
    expect(k3sArch({ arch })).toBe(want);
  });
});
