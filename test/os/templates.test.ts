import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTemplate, templatePath } from '../../src/templates.js';

describe('templates', () => {
  it('finds templates/ at the package root (src/package-root.ts; test/cli/bundle.test.ts checks the bundle)', () => {
    const path = templatePath('os/netplan.yaml');
    expect(path.endsWith('/templates/os/netplan.yaml.hbs')).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readdirSync(path.replace(/netplan\.yaml\.hbs$/, '')).sort()).toEqual([
      'dhcpcd-block.hbs',
      'hosts-cluster-block.hbs',
      'netplan.yaml.hbs',
      'networkmanager.nmconnection.hbs',
      'rpi-swap-off.conf.hbs',
      'zram-generator-off.conf.hbs',
    ]);
  });

  it('does not HTML-escape and fails on a missing variable', () => {
    expect(renderTemplate('os/hosts-cluster-block', { begin: '<b>', end: '&', entries: [{ ip: '1.2.3.4', names: 'a' }] })).toBe('<b>\n1.2.3.4\ta\n&\n');
    expect(() => renderTemplate('os/hosts-cluster-block', { begin: 'x', entries: [] })).toThrow(/end/);
  });
});
