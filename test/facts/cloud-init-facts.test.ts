import { afterEach, describe, expect, it } from 'vitest';
import { parseFacts } from '../../src/facts/parse.js';
import { fakeNode, type FakeNode } from './fixture-tree.js';

/** The facts script's cloud_init section under dash, against fixture trees (Pi OS Trixie as the Imager leaves it). */

const TRIXIE_OS = 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nVERSION_CODENAME=trixie\nID=debian\n';
const USER_DATA = '#cloud-config\nhostname: raspberrypi\nmanage_etc_hosts: true\nusers:\n- name: pi\n  passwd: $6$secret-hash\n';

let node: FakeNode | undefined;
afterEach(() => node?.cleanup());

function card(extra: Record<string, string | { content: string; mode: number }>) {
  return fakeNode({
    files: {
      '/etc/os-release': TRIXIE_OS,
      '/boot/firmware/cmdline.txt': { content: 'console=tty1 rootwait\n', mode: 0o755 },
      '/boot/firmware/config.txt': { content: 'arm_64bit=1\n', mode: 0o755 },
      ...extra,
    },
    systemctl: { active: { NetworkManager: 'active' } },
    uname: '6.12.47+rpt-rpi-v8 aarch64',
  });
}

describe('facts: cloud-init', () => {
  it('finds cloud-init and the NoCloud seed on the boot partition, by name only (user-data holds a password hash)', () => {
    node = card({
      '/usr/bin/cloud-init': { content: '#!/bin/sh\n', mode: 0o755 },
      '/boot/firmware/user-data': { content: USER_DATA, mode: 0o755 },
      '/boot/firmware/meta-data': { content: 'instance-id: rpi-imager-1\n', mode: 0o755 },
      '/boot/firmware/network-config': { content: 'network:\n  version: 2\n', mode: 0o755 },
    });
    const out = node.run().stdout;
    expect(parseFacts(out, 'kmaster').cloudInit).toEqual({
      disabled: false,
      bootSeed: ['/boot/firmware/user-data', '/boot/firmware/meta-data', '/boot/firmware/network-config'],
    });
    expect(out).not.toContain('secret-hash');
  });

  it('sees cloud-init switched off, and reports nothing where it is not installed', () => {
    node = card({ '/usr/bin/cloud-init': { content: '#!/bin/sh\n', mode: 0o755 }, '/etc/cloud/cloud-init.disabled': '', '/boot/firmware/user-data': USER_DATA });
    expect(parseFacts(node.run().stdout, 'kmaster').cloudInit).toEqual({ disabled: true, bootSeed: ['/boot/firmware/user-data'] });
    node.cleanup();
    node = card({ '/boot/firmware/user-data': USER_DATA });
    expect(parseFacts(node.run().stdout, 'kmaster').cloudInit).toBeUndefined();
  });
});
