import { chmod, chown, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOk } from './sh.js';
import { etcHosts } from './pi-files.js';
import { imagerSeedFiles } from './cloud-init-seed.js';
import type { NodeState } from './state.js';

/**
 * A node's disk: a size-limited tmpfs (so fillDisk fills the node, never the host) holding the
 * overlay upper dir on top of the cached root filesystem. Then the per-node identity a freshly
 * flashed SD card gets on first boot: machine-id, SSH host keys, the pi user's password and key.
 */
export async function mountNodeDisk(node: NodeState, sizeMb: number): Promise<void> {
  await mkdir(node.diskDir, { recursive: true });
  await runOk('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, `kblab-${node.machine}`, node.diskDir]);
  for (const d of [node.upper, node.work, node.merged]) await mkdir(d, { recursive: true });
  await runOk('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${node.rootfs},upperdir=${node.upper},workdir=${node.work}`, node.merged]);
}

export async function unmountNodeDisk(node: Pick<NodeState, 'merged' | 'diskDir'>): Promise<void> {
  for (const m of [node.merged, node.diskDir]) {
    if ((await run('umount', [m])).code !== 0) await run('umount', ['-l', m]);
  }
}

export async function regenerateHostKeys(root: string): Promise<void> {
  await run('sh', ['-c', `rm -f "${root}"/etc/ssh/ssh_host_*`]);
  await runOk('ssh-keygen', ['-A', '-f', root]);
}

async function passwordHash(password: string): Promise<string> {
  return (await runOk('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n` })).trim();
}

async function uidGid(root: string, user: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile(join(root, 'etc/passwd'), 'utf8')).split('\n').find((l) => l.startsWith(`${user}:`));
  const parts = line?.split(':') ?? [];
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

export async function personalizeNode(node: NodeState, password: string, publicKey: string): Promise<void> {
  const root = node.merged;
  await writeFile(join(root, 'etc/machine-id'), `${node.machineId}\n`);
  await regenerateHostKeys(root);
  const hash = await passwordHash(password);
  await runOk('usermod', ['--root', root, '-p', hash, 'pi']);
  const { uid, gid } = await uidGid(root, 'pi');
  const sshDir = join(root, 'home/pi/.ssh');
  await mkdir(sshDir, { recursive: true });
  await writeFile(join(sshDir, 'authorized_keys'), publicKey.endsWith('\n') ? publicKey : `${publicKey}\n`);
  await chmod(join(sshDir, 'authorized_keys'), 0o600);
  await chmod(sshDir, 0o700);
  await chown(sshDir, uid, gid);
  await chown(join(sshDir, 'authorized_keys'), uid, gid);
  if (node.sudoNoPassword) {
    await writeFile(join(root, 'etc/sudoers.d/010_pi-nopasswd'), 'pi ALL=(ALL) NOPASSWD: ALL\n', { mode: 0o440 });
  }
  const currentHostname = (await readFile(join(root, 'etc/hostname'), 'utf8')).trim();
  if (currentHostname !== node.hostname) {
    await writeFile(join(root, 'etc/hostname'), `${node.hostname}\n`);
    await writeFile(join(root, 'etc/hosts'), etcHosts(node.hostname));
  }
  if (node.variant === 'trixie-cloudinit') {
    // What Raspberry Pi Imager writes on the boot partition of this card: cloud-init acts on it at boot.
    const seed = imagerSeedFiles({ hostname: node.hostname, user: 'pi', passwordHash: hash, sshPublicKey: publicKey, writtenAtMs: Date.now() });
    for (const file of seed) await writeFile(join(root, file.path), file.content, { mode: 0o755 });
  }
  await rm(join(root, 'var/log/journal'), { recursive: true, force: true });
  await writeLabSystemdTweaks(root);
  if (node.arch === 'arm64') await writeQemuCompatDropIns(root);
}

/**
 * arm64 nodes only: qemu-user cannot emulate the namespace and credential set-up that systemd >= 254
 * does before starting a sandboxed service (clone with CLONE_NEWNS fails with EINVAL), so journald,
 * logind, tmpfiles, getty... fail at step NAMESPACE or CREDENTIALS. A drop-in for every service turns
 * that sandboxing off. Nothing kbootstrap looks at depends on it.
 */
const QEMU_COMPAT_DROPIN = `# kbootstrap lab (arm64 under qemu-user): see test/lab/README.md
[Service]
ImportCredential=
LoadCredential=
SetCredential=
PrivateTmp=no
PrivateDevices=no
PrivateNetwork=no
PrivateUsers=no
PrivateMounts=no
PrivateIPC=no
ProtectSystem=no
ProtectHome=no
ProtectHostname=no
ProtectClock=no
ProtectKernelTunables=no
ProtectKernelModules=no
ProtectKernelLogs=no
ProtectControlGroups=no
ProtectProc=default
ProcSubset=all
ReadWritePaths=
ReadOnlyPaths=
InaccessiblePaths=
BindPaths=
BindReadOnlyPaths=
TemporaryFileSystem=
MountAPIVFS=no
RestrictNamespaces=no
MemoryDenyWriteExecute=no
SystemCallFilter=
RestrictAddressFamilies=
LockPersonality=no
IPAddressDeny=
`;

async function writeQemuCompatDropIns(root: string): Promise<void> {
  const dir = join(root, 'etc/systemd/system/service.d');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'kbootstrap-lab-qemu.conf'), QEMU_COMPAT_DROPIN);
  // The per-user manager cannot start under qemu-user and each SSH login would wait ~90 s for it.
  await rm(join(root, 'etc/systemd/system/user@.service'), { force: true });
  await symlink('/dev/null', join(root, 'etc/systemd/system/user@.service'));
}

/**
 * Lab artefact, not Pi behaviour: in these containers the per-user systemd manager (started by
 * pam_systemd at SSH login) and sometimes the SSH session scope do not finish stopping and hold a
 * reboot for the full 90 s stop timeout. Cap stop times so a reboot takes seconds, as on a Pi.
 */
async function writeLabSystemdTweaks(root: string): Promise<void> {
  const dir = join(root, 'etc/systemd/system/user@.service.d');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'kbootstrap-lab.conf'), '# kbootstrap lab: see test/lab/README.md\n[Service]\nTimeoutStopSec=3s\n');
  const conf = join(root, 'etc/systemd/system.conf.d');
  await mkdir(conf, { recursive: true });
  await writeFile(join(conf, 'kbootstrap-lab.conf'), '# kbootstrap lab: see test/lab/README.md\n[Manager]\nDefaultTimeoutStopSec=8s\n');
}
