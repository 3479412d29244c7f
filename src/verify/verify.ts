import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import { isPiBoard } from '../os/boot-config.js';
import { CGROUP_DISABLE, CGROUP_FLAGS, cmdlineArgs, inspectCmdline } from '../os/cmdline.js';
import { activeCloudInitSeed, CLOUD_INIT_DISABLED } from '../os/cloud-init.js';
import { effectiveSetting, modelFilters } from '../os/config-txt.js';
import { HOSTS_FILE, planHosts } from '../os/hostname.js';

export interface VerifyCheck {
  name: string;
  expected: string;
  seen: string;
  ok: boolean;
}

export interface VerifyResult {
  ok: boolean;
  checks: VerifyCheck[];
}

function check(name: string, expected: string, seen: string, ok: boolean): VerifyCheck {
  return { name, expected, seen, ok };
}

/**
 * Did the preparation take? Run on facts gathered after the reboot. Each check says what was expected
 * and what was seen, so a failing node can be reported precisely.
 *
 * Checks that read the kernel: the memory controller offered at the cgroup root, /proc/cmdline for
 * a `cgroup_disable=memory` after the last `cgroup_enable=memory` (some firmware appends one after
 * the user's arguments, raspberrypi/linux#6980), active swap in /proc/swaps, and, where the node runs
 * its own kernel (facts.ownKernel), that it booted with the cgroup flags of cmdline.txt once each. In
 * a container /proc/cmdline and the cgroup controllers are the host's, so there the cmdline.txt check
 * (the file kbootstrap wrote) is what proves the flags.
 */
export function verifyNode(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory): VerifyResult {
  const checks: VerifyCheck[] = [];
  const controllers = facts.cgroup.controllers;
  const where = facts.cgroup.version === 2 ? 'cgroup.controllers' : '/proc/cgroups';
  checks.push(check('memory cgroup controller', `memory in ${where}`, controllers.length > 0 ? controllers.join(' ') : '(none)', controllers.includes('memory')));

  const args = cmdlineArgs(facts.procCmdline);
  const lastEnable = args.lastIndexOf('cgroup_enable=memory');
  const lastDisable = args.lastIndexOf(CGROUP_DISABLE);
  checks.push(
    check(
      'kernel command line',
      `no ${CGROUP_DISABLE} after the last cgroup_enable=memory in /proc/cmdline`,
      lastDisable < 0 ? `no ${CGROUP_DISABLE}` : lastDisable > lastEnable ? `${CGROUP_DISABLE} at argument ${lastDisable + 1}, after cgroup_enable=memory (${lastEnable < 0 ? 'absent' : `argument ${lastEnable + 1}`})` : `${CGROUP_DISABLE} before cgroup_enable=memory`,
      lastDisable < lastEnable || lastDisable < 0,
    ),
  );

  const booted = bootedFlagsCheck(node, facts, inv, args);
  if (booted) checks.push(booted);

  if (node.target) {
    const cidr = `${node.target.ip}/${node.target.prefix}`;
    const iface = facts.interfaces.find((i) => i.name === node.interface);
    checks.push(check('static address', `${cidr} on ${node.interface}`, iface ? iface.addresses.join(', ') || '(no address)' : `no interface ${node.interface}`, iface?.addresses.includes(cidr) ?? false));
    if (node.target.gateway) {
      const route = facts.defaultRoute;
      checks.push(
        check(
          'default route',
          `via ${node.target.gateway} dev ${node.interface}`,
          route ? `via ${route.gateway} dev ${route.interface}` : '(no default route)',
          route?.gateway === node.target.gateway && route.interface === node.interface,
        ),
      );
    }
  }

  checks.push(check('hostname', node.name, facts.hostname, facts.hostname === node.name));
  checks.push(hostsCheck(node, facts, inv));
  const seed = activeCloudInitSeed(facts);
  if (facts.cloudInit) {
    checks.push(check('cloud-init', `off at boot (${CLOUD_INIT_DISABLED}) or no seed on the boot partition`, seed ? `applies ${seed} at every boot` : facts.cloudInit.disabled ? 'off' : 'no seed', seed === undefined));
  }

  if (isPiBoard(node) && facts.boot) {
    const { cmdline, config } = facts.boot;
    if (inv.prepare.cgroups) {
      const text = cmdline.content ?? '';
      const seen = inspectCmdline(text);
      const once = CGROUP_FLAGS.every((f) => seen.counts[f] === 1);
      checks.push(
        check(
          'cmdline.txt',
          `${CGROUP_FLAGS.join(' and ')} once each, no ${CGROUP_DISABLE}, one line`,
          cmdline.content === null
            ? `${cmdline.path} missing`
            : `${CGROUP_FLAGS.map((f) => `${f} ×${seen.counts[f]}`).join(', ')}${seen.hasDisable ? `, ${CGROUP_DISABLE}` : ''}, ${seen.lines} line(s)`,
          cmdline.content !== null && once && !seen.hasDisable && seen.lines === 1,
        ),
      );
    }
    const gpuMem = effectiveSetting(config.content ?? '', 'gpu_mem', modelFilters(node.board, facts.boardModel));
    checks.push(check('gpu_mem', `gpu_mem=${inv.prepare.gpuMem} in ${config.path}`, gpuMem === undefined ? 'not set' : `gpu_mem=${gpuMem}`, gpuMem === String(inv.prepare.gpuMem)));
  }

  if (inv.prepare.swapOff) {
    const active = facts.swap.active;
    checks.push(check('swap', 'no active swap', active.length === 0 ? 'none' : active.map((s) => `${s.device} (${s.type}, ${s.sizeKb} kB)`).join(', '), active.length === 0));
  }

  return { ok: checks.every((c) => c.ok), checks };
}

/**
 * /etc/hosts is as kbootstrap wrote it (its own name on 127.0.1.1, and the cluster block with hostsFile
 * 'cluster'): after a reboot this catches what rebuilt it at boot (cloud-init's manage_etc_hosts).
 */
function hostsCheck(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory): VerifyCheck {
  const line = (facts.files[HOSTS_FILE]?.content ?? '').split('\n').find((l) => /^\s*127\.0\.1\.1\s/.test(l));
  const seen = facts.files[HOSTS_FILE]?.content == null ? `${HOSTS_FILE} missing` : line ? line.replace(/\s+/g, ' ').trim() : 'no 127.0.1.1 line';
  const expected = inv.prepare.hostsFile === 'cluster' ? `127.0.1.1 ${node.name} and the cluster's nodes` : `127.0.1.1 ${node.name}`;
  const ok = planHosts(node, facts, inv).length === 0;
  return check(HOSTS_FILE, expected, ok ? seen : `${seen} (not what kbootstrap wrote)`, ok);
}

/** On its own kernel, a Pi node must have booted with each cgroup flag of cmdline.txt exactly once. */
function bootedFlagsCheck(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory, args: string[]): VerifyCheck | undefined {
  if (facts.ownKernel !== true || !isPiBoard(node) || !facts.boot || !inv.prepare.cgroups) return undefined;
  const counts = CGROUP_FLAGS.map((f) => [f, args.filter((a) => a === f).length] as const);
  return check(
    'booted command line',
    `${CGROUP_FLAGS.join(' and ')} once each in /proc/cmdline`,
    counts.map(([f, n]) => `${f} ×${n}`).join(', '),
    counts.every(([, n]) => n === 1),
  );
}
