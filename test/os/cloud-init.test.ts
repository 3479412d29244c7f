import { describe, expect, it } from 'vitest';
import { activeCloudInitSeed, CLOUD_INIT_DISABLED, planCloudInit } from '../../src/os/cloud-init.js';
import { planNodePreparation } from '../../src/os/plan.js';
import { firstNode, makeFacts, makeLabInventory as makeInventory } from '../support/facts-factory.js';

const SEED = ['/boot/firmware/user-data', '/boot/firmware/meta-data', '/boot/firmware/network-config'];
const imagerCard = () => ({ ...makeFacts('trixie'), cloudInit: { disabled: false, bootSeed: SEED } });

describe('cloud-init (Pi OS Trixie as the Imager leaves it)', () => {
  it('switches cloud-init off at boot where it reads a seed from the boot partition', () => {
    const [change, ...rest] = planCloudInit(imagerCard());
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      kind: 'file',
      description: 'switch cloud-init off at boot (/etc/cloud/cloud-init.disabled): it applies /boot/firmware/user-data at every boot and would rewrite /etc/hosts',
      path: CLOUD_INIT_DISABLED,
      before: null,
      mode: 0o644,
    });
    expect(change?.kind === 'file' && change.content).toMatch(/^# Written by kbootstrap\./);
    expect(change?.kind === 'file' && change.content).toContain('kbootstrap reset');
  });

  it('names another seed file when the boot partition has no user-data', () => {
    expect(activeCloudInitSeed({ ...makeFacts('trixie'), cloudInit: { disabled: false, bootSeed: ['/boot/firmware/network-config'] } })).toBe('/boot/firmware/network-config');
  });

  it('changes nothing without cloud-init, without a seed on the boot partition, or once it is off', () => {
    expect(planCloudInit(makeFacts('trixie'))).toEqual([]);
    expect(planCloudInit({ ...makeFacts('vagrant'), cloudInit: { disabled: false, bootSeed: [] } })).toEqual([]);
    expect(planCloudInit({ ...makeFacts('trixie'), cloudInit: { disabled: true, bootSeed: SEED } })).toEqual([]);
  });

  it('comes right after the hostname and /etc/hosts in the node plan, and needs no reboot of its own', () => {
    const inv = makeInventory({ staticIps: false });
    const plan = planNodePreparation(firstNode(inv), imagerCard(), inv);
    expect(plan.changes.slice(0, 4).map((c) => (c.kind === 'file' ? c.path : c.kind === 'command' ? c.command : c.remotePath))).toEqual(['/etc/hostname', 'hostname kmaster', '/etc/hosts', CLOUD_INIT_DISABLED]);
    const without = planNodePreparation(firstNode(inv), makeFacts('trixie'), inv);
    expect(plan.rebootReasons).toEqual(without.rebootReasons);
  });
});
