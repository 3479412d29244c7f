import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Arch } from '../paths.js';
import { parse, stringify } from 'yaml';
import { FACTS_SCRIPT } from '../../../src/facts/script.js';
import { parseFacts } from '../../../src/facts/parse.js';
import { formatProblem, loadInventory, type ResolvedInventory } from '../../../src/inventory/index.js';
import { verifyNode, type VerifyCheck } from '../../../src/verify/verify.js';
import { changesOf, kbootstrap, type CliRun } from '../../e2e/run-cli.js';
import { startStandinRelease } from '../../e2e/standin-release.js';
import { labStaticIp } from '../inventory.js';
import { startVmLab, type VmLab } from './vm-lab.js';
import { whyNot } from './why-not.js';

/**
 * kbootstrap init on a vm node: a real Debian kernel under QEMU, booted from the node's own
 * cmdline.txt, with the lab's k3s stand-in (not Kubernetes) as the k3s release. What a container
 * cannot show: the command line the kernel booted with, the memory controller, swap really off, and
 * NetworkManager's static address after the reboot. A `cgroup_disable=memory` is planted in
 * cmdline.txt and a swap file in fstab before init.
 */
const NODE = 'kvm1';
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * kbootstrap's environment against vm nodes: the k3s stand-in's release, a cache of its own, and SSH
 * links declared dead after 120 s of silence instead of 15 s (lab artefact: an emulated guest on a busy
 * 2-core host can stall that long; a starved one missed keepalives during the facts script).
 */
export function vmCliEnv(releaseUrl: string, dir: string): Record<string, string> {
  return { KBOOTSTRAP_K3S_RELEASE_URL: releaseUrl, XDG_CACHE_HOME: join(dir, 'cache'), KBOOTSTRAP_SSH_DEAD_AFTER: '120' };
}


async function kernelChecks(lab: VmLab, inv: ResolvedInventory): Promise<Record<string, VerifyCheck>> {
  const r = await lab.exec(NODE, 'sh -s', 120_000, FACTS_SCRIPT);
  expect(r.code, r.stderr).toBe(0);
  const facts = parseFacts(r.stdout, NODE);
  expect(facts.ownKernel).toBe(true);
  return Object.fromEntries(verifyNode(inv.nodes[0]!, facts, inv).checks.map((c) => [c.name, c]));
}

/** The test of one vm node of `arch` (one file per architecture, so each can run alone). */
export function vmInitSuite(arch: Arch): void {
  const why = whyNot(arch);
  describe.skipIf(why)(`kbootstrap init on an ${arch} vm node (real kernel)${why ? ` (skipped: ${why})` : ''}`, () => {
    let lab: VmLab;
    let release: Awaited<ReturnType<typeof startStandinRelease>>;
    let inv: ResolvedInventory;
    let before: Record<string, VerifyCheck>;
    let init: CliRun;
    const times: Record<string, number> = {};

    beforeAll(async () => {
      const started = Date.now();
      [lab, release] = await Promise.all([
        startVmLab({ nodes: [{ name: NODE, arch, cmdlineExtra: ['cgroup_disable=memory'] }] }),
        startStandinRelease(),
      ]);
      times.imagesAndStart = seconds(Date.now() - started);
      await lab.waitForSsh(NODE, 600_000);
      times.firstBootToSsh = seconds(Date.now() - lab.lastBootStartedMs(NODE));
      // Lab artefact: sshd answers while an emulated boot still runs its start-up jobs, which on a busy
      // host can starve the guest long enough for kbootstrap's SSH keepalives (15 s) to give up. A Pi
      // finishes those in seconds; here kbootstrap starts once systemd reports the boot finished.
      const settled = await lab.exec(NODE, 'systemctl is-system-running --wait', 900_000);
      expect(settled.stdout.trim(), settled.stderr).toMatch(/^(running|degraded)$/);
      times.firstBootToSettled = seconds(Date.now() - lab.lastBootStartedMs(NODE));
      const plant = await lab.exec(NODE, 'fallocate -l 32M /swapfile && chmod 600 /swapfile && mkswap -q /swapfile && echo "/swapfile none swap sw 0 0" >> /etc/fstab && swapon /swapfile');
      expect(plant.code, plant.stderr).toBe(0);

      const dir = await mkdtemp(join(tmpdir(), 'kbootstrap-vm-'));
      const yaml = parse(await lab.inventory({ staticIps: true })) as Record<string, unknown>;
      yaml.kubeconfig = { path: join(dir, 'kubeconfig'), merge: false };
      yaml.prepare = { rebootTimeout: 900 };
      const file = join(dir, 'inventory.yaml');
      await writeFile(file, stringify(yaml));
      const loaded = await loadInventory(file, { env: {} });
      if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
      inv = loaded.inventory;
      before = await kernelChecks(lab, inv);

      lab.expectAddress(NODE, labStaticIp(lab.subnet, 0));
      const initStarted = Date.now();
      init = await kbootstrap(['init', '-i', file, '--yes', '--json'], vmCliEnv(release.url, dir));
      times.init = seconds(init.ms);
      times.initStartToRebootBoot = seconds(lab.lastBootStartedMs(NODE) - initStarted);
      times.lastBootToInitDone = seconds(Date.now() - lab.lastBootStartedMs(NODE));
      // The reboot's boot to sshd, on the guest's own clock (microseconds since its kernel started).
      const sshd = await lab.exec(NODE, 'systemctl show -P ActiveEnterTimestampMonotonic ssh.service');
      times.rebootKernelToSshd = seconds(Number(sshd.stdout.trim()) / 1000);
      times.total = seconds(Date.now() - started);
      console.log(`vm node ${NODE} (${arch}, TCG, nice 10), seconds: ${JSON.stringify(times)}`);
    }, 2_400_000);
    afterAll(async () => {
      await lab?.down();
      await release?.close();
    });

    it('before init, the real kernel shows what was planted: cgroup_disable=memory booted, no memory controller, swap on', () => {
      expect(lab.cmdlines(NODE)[0]).toMatch(/ cgroup_disable=memory$/);
      expect(before['memory cgroup controller']!.ok).toBe(false);
      expect(before['booted command line']).toMatchObject({ ok: false, seen: 'cgroup_memory=1 ×0, cgroup_enable=memory ×0' });
      expect(before.swap!.ok).toBe(false);
      expect(before.swap!.seen).toContain('/swapfile');
    });

    it('init succeeds with one reboot, and reports removing the planted cgroup_disable=memory', () => {
      expect(init.code, init.stderr + init.stdout.slice(-3000)).toBe(0);
      expect(lab.rebootCount(NODE)).toBe(1);
      expect(changesOf(init.events)[NODE]!.join('\n')).toMatch(/remove cgroup_disable=memory/);
    });

    it('the kernel booted from the new cmdline.txt: the flags once, no cgroup_disable=memory, memory controller on', async () => {
      const booted = lab.cmdlines(NODE).at(-1)!;
      expect(booted.match(/(^| )cgroup_enable=memory( |$)/g)).toHaveLength(1);
      expect(booted.match(/(^| )cgroup_memory=1( |$)/g)).toHaveLength(1);
      expect(booted).not.toContain('cgroup_disable=memory');
      expect((await lab.readFile(NODE, '/proc/cmdline'))!.trim()).toBe(booted);
      expect((await lab.readFile(NODE, '/sys/fs/cgroup/cgroup.controllers'))!.split(/\s+/)).toContain('memory');
    });

    it('swap is really off after the reboot, and the static address is on eth0', async () => {
      expect((await lab.exec(NODE, 'swapon --show --noheadings')).stdout.trim()).toBe('');
      const addr = await lab.exec(NODE, 'ip -4 -o addr show dev eth0');
      expect(addr.stdout).toContain(`inet ${labStaticIp(lab.subnet, 0)}/24`);
    });

    it("kbootstrap's verify reads the same on the real kernel: every check passes, the booted flags among them", async () => {
      const after = await kernelChecks(lab, inv);
      expect(Object.values(after).filter((c) => !c.ok)).toEqual([]);
      expect(Object.keys(after)).toEqual(expect.arrayContaining(['booted command line', 'memory cgroup controller', 'swap', 'static address']));
    });
  });
}
