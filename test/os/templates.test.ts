import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/templates.js';
import { templateSources } from '../templates/embed-templates.js';

describe('templates', () => {
  it('has every file of templates/os', () => {
    expect(templateSources().map(([name]) => name).filter((n) => n.startsWith('os/'))).toEqual([
      'os/dhcpcd-block',
      'os/hosts-cluster-block',
      'os/netplan.yaml',
      'os/networkmanager.nmconnection',
      'os/rpi-swap-off.conf',
      'os/zram-generator-off.conf',
    ]);
  });

  it('does not HTML-escape and fails on a missing variable', () => {
    expect(renderTemplate('os/hosts-cluster-block', { begin: '<b>', end: '&', entries: [{ ip: '1.2.3.4', names: 'a' }] })).toBe('<b>\n1.2.3.4\ta\n&\n');
    expect(() => renderTemplate('os/hosts-cluster-block', { begin: 'x', entries: [] })).toThrow(/end/);
  });
});
