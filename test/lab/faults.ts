import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { regenerateHostKeys } from './node-disk.js';
import { run, runOk } from './sh.js';
import type { NodeState } from './state.js';

type Exec = (node: string, command: string) => Promise<{ stdout: string; stderr: string; code: number }>;

const HANG_FLAG = '/run/kbootstrap-lab-hang';
const REAL_SUDO = '/usr/bin/sudo.kbootstrap-lab-real';
const FILL_FILE = '/var/tmp/kbootstrap-lab-fill';

/** sshd and its per-connection processes (named sshd-session/sshd-auth since OpenSSH 9.8). */
export const KILL_SSHD = 'pkill -KILL -x sshd; pkill -KILL -x sshd-session; pkill -KILL -x sshd-auth; true';

/** While the flag exists every `sudo` blocks (a wrapper in place of /usr/bin/sudo); the real one is kept aside. */
export const HANG_SCRIPT = `set -e
touch ${HANG_FLAG}
if [ ! -e ${REAL_SUDO} ]; then
  mv /usr/bin/sudo ${REAL_SUDO}
  printf '%s\\n' '#!/bin/sh' '# kbootstrap lab fault: sudo hangs while ${HANG_FLAG} exists' \\
    'while [ -e ${HANG_FLAG} ]; do sleep 1; done' 'exec ${REAL_SUDO} "$@"' > /usr/bin/sudo
  chmod 755 /usr/bin/sudo
fi`;

export const UNHANG_SCRIPT = `rm -f ${HANG_FLAG}
if [ -e ${REAL_SUDO} ]; then mv -f ${REAL_SUDO} /usr/bin/sudo; fi`;

async function must(exec: Exec, node: string, command: string, what: string): Promise<void> {
  const r = await exec(node, command);
  if (r.code !== 0) throw new Error(`${what} on ${node} failed (exit ${r.code}): ${r.stderr.trim()}`);
}

export async function killSshd(exec: Exec, node: string): Promise<void> {
  await must(exec, node, KILL_SSHD, 'killing sshd');
}

export async function hang(exec: Exec, node: string): Promise<void> {
  await must(exec, node, HANG_SCRIPT, 'hang');
}

export async function unhang(exec: Exec, node: string): Promise<void> {
  await must(exec, node, UNHANG_SCRIPT, 'unhang');
}

/** Like a reflashed card: new host keys, sshd restarted so new connections see them. */
export async function changeHostKey(exec: Exec, node: NodeState): Promise<void> {
  await regenerateHostKeys(node.merged);
  await must(exec, node.name, 'systemctl restart ssh.service', 'restarting sshd');
}

/** Fills the node's disk (its own tmpfs, never the host's) to the last byte. */
export async function fillDisk(node: NodeState): Promise<void> {
  const st = await statfs(node.diskDir);
  const free = st.bavail * st.bsize;
  const target = join(node.merged, FILL_FILE);
  const r = await run('fallocate', ['-l', String(free), target]);
  if (r.code !== 0) await run('dd', ['if=/dev/zero', `of=${target}`, 'bs=1M', 'oflag=append', 'conv=notrunc']);
  const after = await statfs(node.diskDir);
  if (after.bavail > 0) await run('dd', ['if=/dev/zero', `of=${target}`, 'bs=4k', 'oflag=append', 'conv=notrunc']);
}

export async function unfillDisk(node: NodeState): Promise<void> {
  await runOk('rm', ['-f', join(node.merged, FILL_FILE)]);
}
