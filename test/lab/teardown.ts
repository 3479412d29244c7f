import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { deleteLink, deleteNetns } from './network.js';
import { unmountNodeDisk } from './node-disk.js';
import { labNames, STATE_ROOT } from './paths.js';
import { run, sleep } from './sh.js';
import { readState } from './state.js';

function alive(pid: number | undefined): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killAndWait(pid: number | undefined, ms = 5000): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
}

/** Mount points under the lab's disk dir, deepest first. */
function labMounts(id: string): string[] {
  const prefix = join(STATE_ROOT, id) + '/';
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/**
 * Removes everything a lab made, from its state file and from its naming scheme (so a crashed
 * supervisor leaves nothing behind either): node processes, mounts, namespaces, links, dnsmasq, dirs.
 * Safe to call twice and from any process.
 */
export async function teardownLab(id: string, index: number): Promise<void> {
  const names = labNames(id, index);
  const state = readState(names.stateFile);
  if (state && state.supervisorPid !== process.pid) await killAndWait(state.supervisorPid);
  for (const node of state?.nodes ?? []) {
    await killAndWait(node.leaderPid);
    await killAndWait(node.nspawnPid);
  }
  if (state?.dnsmasqPid) await killAndWait(state.dnsmasqPid);

  const netnsPrefix = `kblab${index}-`;
  const allNetns = existsSync('/run/netns') ? await readdir('/run/netns') : [];
  for (const ns of allNetns.filter((n) => n.startsWith(netnsPrefix))) await deleteNetns(ns);

  for (const m of labMounts(id)) {
    const node = { merged: m, diskDir: m };
    await unmountNodeDisk(node);
  }
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout
    .split('\n')
    .map((l) => /^\d+:\s+([^:@]+)/.exec(l)?.[1])
    .filter((n): n is string => !!n && (new RegExp(`^kb${index}[np]\\d+$`).test(n) || n === names.bridge));
  for (const l of links) await deleteLink(l);
  // dnsmasq of this lab, found by its bridge, in case the state file was lost
  const ps = await run('pgrep', ['-f', `dnsmasq .*--interface=${names.bridge} `]);
  for (const pid of ps.stdout.split(/\s+/).filter(Boolean)) await killAndWait(Number(pid));

  await rm(names.diskDir, { recursive: true, force: true });
  await rm(names.runDir, { recursive: true, force: true });
}

/** What a lab may have left on the host: used by the tests to prove `down` is clean. */
export async function labLeftovers(id: string, index: number): Promise<string[]> {
  const names = labNames(id, index);
  const found: string[] = [];
  const netns = existsSync('/run/netns') ? await readdir('/run/netns') : [];
  found.push(...netns.filter((n) => n.startsWith(`kblab${index}-`)).map((n) => `netns ${n}`));
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
  for (const l of links.split('\n')) {
    const n = /^\d+:\s+([^:@]+)/.exec(l)?.[1];
    if (n && (n === names.bridge || new RegExp(`^kb${index}[np]\\d+$`).test(n))) found.push(`link ${n}`);
  }
  found.push(...labMounts(id).map((m) => `mount ${m}`));
  const procs = await run('pgrep', ['-af', `(systemd-nspawn .*--machine=${id}-)|(dnsmasq .*--interface=${names.bridge} )|(supervisor-main.ts ${id} )`]);
  found.push(...procs.stdout.split('\n').filter(Boolean).map((p) => `process ${p}`));
  if (existsSync(names.diskDir)) found.push(`dir ${names.diskDir}`);
  if (existsSync(names.runDir)) found.push(`dir ${names.runDir}`);
  return found;
}
