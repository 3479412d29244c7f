import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbootstrap, summaryOf, type CliRun } from '../../e2e/run-cli.js';
import { startStandinRelease } from '../../e2e/standin-release.js';
import { labStaticIp } from '../inventory.js';
import { sshBanner } from '../lab.js';
import { vmCliEnv } from './init-suite.js';
import { whyNot } from './why-not.js';
import { startVmLab, type VmLab } from './vm-lab.js';

/**
 * Faults on an amd64 vm node (a real kernel under QEMU), with the k3s stand-in (not Kubernetes) as
 * the k3s release: an unplugged cable, a hung sudo, and a reboot that fails (the node goes down for
 * kbootstrap's reboot and does not come back), then the power comes back and the node boots the
 * command line kbootstrap wrote before the reboot.
 */
const NODE = 'kvm1';
const why = whyNot('amd64') ?? (process.env.KBOOTSTRAP_LAB_VM_FAULTS === '1' ? undefined : 'opt-in (KBOOTSTRAP_LAB_VM_FAULTS=1): two emulated boots, several minutes');

describe.skipIf(why)(`faults on an amd64 vm node${why ? ` (skipped: ${why})` : ''}`, () => {
  let lab: VmLab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let address: string;
  let init: CliRun;

  beforeAll(async () => {
    [lab, release] = await Promise.all([startVmLab({ nodes: [{ name: NODE, arch: 'amd64' }] }), startStandinRelease()]);
    address = await lab.waitForSsh(NODE, 900_000);
    await lab.exec(NODE, 'systemctl is-system-running --wait', 900_000);
  }, 1_000_000);
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('a cut link: SSH stops answering on the node\'s address, and answers again once restored', async () => {
    await lab.faults.cutLink(NODE);
    expect(await sshBanner(address, 3000)).toBe(false);
    await lab.faults.restoreLink(NODE);
    expect(await lab.waitForSsh(NODE, 60_000)).toBe(address);
  }, 120_000);

  it('a hung sudo blocks until unhang', async () => {
    await lab.faults.hang(NODE);
    expect((await lab.exec(NODE, 'timeout 5 sudo true; echo $?')).stdout.trim()).toBe('124');
    await lab.faults.unhang(NODE);
    expect((await lab.exec(NODE, 'timeout 60 sudo true; echo $?')).stdout.trim()).toBe('0');
  }, 240_000);

  it('a failed reboot: kbootstrap init names the node that did not come back; the node stays off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kbootstrap-vm-faults-'));
    const yaml = parse(await lab.inventory()) as Record<string, unknown>;
    yaml.kubeconfig = { path: join(dir, 'kubeconfig'), merge: false };
    yaml.prepare = { rebootTimeout: 60 };
    const file = join(dir, 'inventory.yaml');
    await writeFile(file, stringify(yaml));
    lab.expectAddress(NODE, labStaticIp(lab.subnet, 0));
    lab.faults.failNextReboot(NODE);
    init = await kbootstrap(['init', '-i', file, '--yes', '--json'], vmCliEnv(release.url, dir));
    expect(init.code, init.stdout.slice(-3000)).not.toBe(0);
    expect(summaryOf(init.events)[NODE]).toBe('failed');
    expect(init.stdout).toContain(`${NODE} did not come back within 60 s after the reboot`);
    expect(lab.power(NODE)).toBe('off');
    expect(lab.rebootCount(NODE)).toBe(0);
  }, 1_200_000);

  it('power back on: the node boots the command line kbootstrap wrote to cmdline.txt before the reboot', async () => {
    lab.faults.start(NODE);
    await lab.waitForSsh(NODE, 900_000);
    const booted = lab.cmdlines(NODE).at(-1)!;
    expect(booted).toContain('cgroup_enable=memory');
    expect((await lab.readFile(NODE, '/proc/cmdline'))!.trim()).toBe(booted);
  }, 1_000_000);
});
