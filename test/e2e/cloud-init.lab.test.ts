import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab.js';
import { waitFor } from '../lab/sh.js';
import { changesOf, kbootstrap, summaryOf, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1'];
const INDEX = Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);

/**
 * Raspberry Pi OS Trixie as Raspberry Pi Imager leaves it (lab variant `trixie-cloudinit`, native amd64):
 * Debian's cloud-init reads the Imager's user-data (hostname "raspberrypi", manage_etc_hosts: true),
 * meta-data and network-config from /boot/firmware at every boot. kbootstrap init (k3s is the lab's
 * stand-in, not Kubernetes), then two reboots: the hostname, /etc/hosts and the static IP stay
 * kbootstrap's, and a second init finds nothing to change.
 */
describe.skipIf(!isRoot)(`Pi OS Trixie with cloud-init, after init and two reboots (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let inv: Awaited<ReturnType<typeof writeLabInventory>>;
  let env: Record<string, string>;
  let init: CliRun;
  const hostsAfterInit = new Map<string, string>();

  const staticIp = (i: number) => `${lab.subnet.base}${10 + i}`;

  /** `systemctl reboot` inside, then wait for the supervisor to count the reboot and sshd to answer at the static IP. */
  async function reboot(name: string, i: number): Promise<void> {
    const before = lab.rebootCount(name);
    await lab.exec(name, 'systemctl reboot');
    await waitFor(`${name} to reboot`, async () => (lab.rebootCount(name) > before && lab.power(name) === 'running' ? true : undefined), 120_000);
    await lab.waitForSsh(name, staticIp(i));
    // cloud-init's last stage (where it runs at all) is done once the boot is: wait for it, then look.
    await waitFor(`${name} to finish booting`, async () => {
      const r = await lab.exec(name, 'systemctl is-system-running --wait');
      return /running|degraded/.test(r.stdout) ? true : undefined;
    }, 120_000, 1000);
  }

  beforeAll(async () => {
    [lab, release] = await Promise.all([
      startLab({ index: INDEX, nodes: NODES.map((name) => ({ name, variant: 'trixie-cloudinit', arch: 'amd64' })) }),
      startStandinRelease(),
    ]);
    inv = await writeLabInventory(lab, { staticIps: true }, (i) => {
      i.prepare = { ...(i.prepare as object), hostsFile: 'cluster' };
    });
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: `${inv.dir}/cache` };
  });
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('boots as the Imager leaves a card: cloud-init applied the boot partition seed and owns /etc/hosts', async () => {
    for (const name of NODES) {
      const status = await lab.exec(name, 'cloud-init status --long');
      expect(status.stdout).toMatch(/status: done/);
      expect(status.stdout).toContain('DataSourceNoCloud [seed=ds_config_seedfrom,file:///boot/firmware/]');
      expect(await lab.readFile(name, '/boot/firmware/user-data')).toMatch(/^manage_etc_hosts: true$/m);
      expect(await lab.readFile(name, '/etc/hosts')).toMatch(/configured 'manage_etc_hosts' as True[\s\S]*^127\.0\.1\.1 raspberrypi raspberrypi$/m);
      expect(await lab.readFile(name, '/etc/netplan/50-cloud-init.yaml')).toMatch(/eth0:/);
    }
  });

  it('init prepares the nodes, switches cloud-init off and verifies /etc/hosts after its own reboot', async () => {
    init = await kbootstrap(['init', '-i', inv.file, '--yes', '--json', '--skip-addons'], env);
    expect(init.code, init.stderr + init.stdout.slice(-3000)).toBe(0);
    for (const [i, name] of NODES.entries()) {
      expect(lab.rebootCount(name)).toBe(1);
      const hosts = (await lab.readFile(name, '/etc/hosts'))!;
      expect(hosts).toMatch(new RegExp(`^127\\.0\\.1\\.1\\t${name}$`, 'm'));
      expect(hosts).toContain(`${staticIp(0)}\tkmaster`);
      expect(hosts).toContain(`${staticIp(1)}\tknode1`);
      expect(await lab.ip(name)).toBe(staticIp(i));
      hostsAfterInit.set(name, hosts);
      expect(changesOf(init.events)[name]).toContain('switch cloud-init off at boot (/etc/cloud/cloud-init.disabled): it applies /boot/firmware/user-data at every boot and would rewrite /etc/hosts');
    }
  });

  it('keeps the hostname, /etc/hosts and the static IP through two more reboots', async () => {
    for (const round of [1, 2]) {
      await Promise.all(NODES.map((name, i) => reboot(name, i)));
      for (const [i, name] of NODES.entries()) {
        expect((await lab.exec(name, 'hostname')).stdout.trim(), `${name} after reboot ${round}`).toBe(name);
        expect(await lab.readFile(name, '/etc/hostname')).toBe(`${name}\n`);
        expect(await lab.readFile(name, '/etc/hosts'), `${name} after reboot ${round}`).toBe(hostsAfterInit.get(name));
        expect(await lab.ip(name)).toBe(staticIp(i));
        const route = await lab.exec(name, 'ip -4 route show default');
        expect(route.stdout).toContain(`via ${lab.subnet.gateway} dev eth0`);
        // NetworkManager chose kbootstrap's profile over the one netplan renders from cloud-init's file.
        const active = await lab.exec(name, 'nmcli -t -f NAME,DEVICE connection show --active');
        expect(active.stdout).toContain('kbootstrap-eth0:eth0');
      }
    }
  });

  it('a second init finds every node as it left it and verifies it', async () => {
    const again = await kbootstrap(['init', '-i', inv.file, '--yes', '--json', '--skip-addons'], env);
    expect(again.code, again.stdout.slice(-3000)).toBe(0);
    expect(summaryOf(again.events)).toEqual(Object.fromEntries(NODES.map((n) => [n, 'unchanged'])));
    expect(changesOf(again.events)).toEqual({});
  });
});
