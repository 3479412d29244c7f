import { describe, expect, it } from 'vitest';
import { debianMirror, mirrorFromSources } from './mirror.js';

describe('the Debian mirror for debootstrap', () => {
  it('is the main archive of a deb822 sources file, not the security one', () => {
    const text = 'Types: deb\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://mirror.invalid/debian/\nSuites: bookworm\n';
    expect(mirrorFromSources(text)).toBe('http://mirror.invalid/debian');
  });

  it('reads one-line sources too, with options', () => {
    expect(mirrorFromSources('# comment\ndeb [arch=amd64] http://mirror.invalid/debian bookworm main\n')).toBe('http://mirror.invalid/debian');
    expect(mirrorFromSources('deb http://mirror.invalid/ubuntu jammy main\n')).toBeUndefined();
  });

  it('KBOOTSTRAP_LAB_MIRROR wins', () => {
    expect(debianMirror({ KBOOTSTRAP_LAB_MIRROR: 'http://other.invalid/debian' })).toBe('http://other.invalid/debian');
  });
});
