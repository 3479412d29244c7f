import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGER_NETWORK_CONFIG, imagerSeedFiles, PI_CLOUD_CFG } from './cloud-init-seed.js';
import { buildRecipe, recipeHash } from './variants.js';

/** The trixie-cloudinit variant's recipe and the seed the lab writes per node as Raspberry Pi Imager would (no root needed). */
describe('trixie-cloudinit variant', () => {
  it('is Trixie plus Debian cloud-init and netplan.io, NoCloud pointed at /boot/firmware, and the image seed', () => {
    const trixie = buildRecipe('trixie', 'amd64');
    const r = buildRecipe('trixie-cloudinit', 'amd64');
    expect(r.suite).toBe('trixie');
    expect(r.stack).toBe('networkmanager');
    expect(r.packages).toEqual([...trixie.packages, 'cloud-init', 'netplan.io']);
    const paths = r.files.map((f) => f.path);
    for (const f of trixie.files) expect(paths).toContain(f.path);
    expect(paths).toEqual(expect.arrayContaining([
      '/etc/cloud/cloud.cfg.d/99_raspberry-pi.cfg', '/lib/netplan/00-network-manager-all.yaml',
      '/boot/firmware/user-data', '/boot/firmware/meta-data', '/boot/firmware/network-config',
    ]));
    expect(recipeHash(r)).not.toBe(recipeHash(trixie));
    const cfg = parse(PI_CLOUD_CFG) as Record<string, unknown>;
    expect(cfg).toMatchObject({ datasource_list: ['NoCloud', 'None'], datasource: { NoCloud: { seedfrom: 'file:///boot/firmware/' } }, ssh_deletekeys: false, ssh_genkeytypes: [] });
  });

  it("writes the Imager's user-data, meta-data and network-config for a card", () => {
    const files = imagerSeedFiles({ hostname: 'raspberrypi', user: 'pi', passwordHash: '$6$salt$hash', sshPublicKey: 'ssh-ed25519 AAAAkey lab\n', writtenAtMs: 1764763200000 });
    expect(files.map((f) => f.path)).toEqual(['/boot/firmware/user-data', '/boot/firmware/meta-data', '/boot/firmware/network-config']);
    const [userData, metaData, networkConfig] = files.map((f) => f.content);
    expect(userData!.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(userData!)).toEqual({
      hostname: 'raspberrypi',
      manage_etc_hosts: true,
      enable_ssh: true,
      users: [{
        name: 'pi', groups: 'users,adm,dialout,audio,netdev,video,plugdev,cdrom,games,input,gpio,spi,i2c,render,sudo', shell: '/bin/bash',
        lock_passwd: false, passwd: '$6$salt$hash', ssh_authorized_keys: ['ssh-ed25519 AAAAkey lab'], sudo: 'ALL=(ALL) NOPASSWD:ALL',
      }],
      ssh_pwauth: true,
    });
    expect(parse(metaData!)).toEqual({ 'instance-id': 'rpi-imager-1764763200000' });
    expect(networkConfig).toBe(IMAGER_NETWORK_CONFIG);
    expect(parse(networkConfig!)).toEqual({ network: { version: 2, ethernets: { eth0: { dhcp4: true, dhcp6: true, optional: true } } } });
  });
});
