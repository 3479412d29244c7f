import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withLock } from './lock.js';
import { debianMirror } from './mirror.js';
import { CACHE_ROOT, type Arch, type Variant } from './paths.js';
import { ensureAarch64Emulation } from './binfmt.js';
import { BuildProgress, buildRoot } from './rootfs-build.js';
import { run, runOk } from './sh.js';
import { buildRecipe, recipeHash, type RootfsRecipe } from './variants.js';

const MARKER = '.kbootstrap-lab-recipe.json';
const PI_GROUPS = ['adm', 'dialout', 'cdrom', 'sudo', 'audio', 'video', 'plugdev', 'games', 'users', 'input', 'render', 'netdev'];

export interface RootfsInfo {
  path: string;
  recipe: RootfsRecipe;
  built: boolean;
  seconds: number;
}

const rootfsDir = () => join(CACHE_ROOT, 'rootfs');

/**
 * The cached root filesystem of a variant/arch, built on first use. Each recipe version gets its own
 * directory (`<variant>-<arch>-<hash>`), written under a temporary name and renamed when complete,
 * so a half build is never used and a running lab's lower dir is never replaced under it. Builds of
 * different variants/arches may run at once (one lock per directory); arm64 ones check the host's
 * qemu-aarch64 emulation first.
 */
export async function ensureRootfs(variant: Variant, arch: Arch, log: (m: string) => void = () => undefined): Promise<RootfsInfo> {
  const started = Date.now();
  const recipe = buildRecipe(variant, arch);
  const key = `${variant}-${arch}-${recipeHash(recipe)}`;
  const path = join(rootfsDir(), key);
  const done = (built: boolean): RootfsInfo => ({ path, recipe, built, seconds: (Date.now() - started) / 1000 });
  if (arch === 'arm64') await ensureAarch64Emulation(log);
  if (existsSync(join(path, MARKER))) return done(false);
  await mkdir(rootfsDir(), { recursive: true });
  return withLock(join(rootfsDir(), `.build-${key}.lock`), `another build of ${variant}/${arch}`, async () => {
    if (existsSync(join(path, MARKER))) return done(false);
    const tmp = join(rootfsDir(), `.build-${key}-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    const progress = new BuildProgress(`building ${variant}/${arch} root filesystem`, log);
    log(`building ${variant}/${arch} root filesystem (${recipe.suite}, ${recipe.packages.length} packages asked for); first time only, cached in ${rootfsDir()}`);
    try {
      // Several builds may share a suite's .deb cache: each file lands there under its final name only when complete.
      await buildRoot(recipe, tmp, join(CACHE_ROOT, 'debs', `${recipe.suite}-${recipe.arch}`), debianMirror(), progress);
      progress.begin('customizing (lab files, pi user, units)');
      await customize(recipe, tmp);
      await writeFile(join(tmp, MARKER), JSON.stringify(recipe, null, 2));
      await rename(tmp, path);
    } catch (err) {
      await run('umount', ['-l', join(tmp, 'proc')]);
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    await pruneOldBuilds(variant, arch, key);
    log(`built ${variant}/${arch} in ${progress.elapsed()}`);
    return done(true);
  }, log);
}

async function customize(recipe: RootfsRecipe, root: string): Promise<void> {
  for (const file of recipe.files) {
    const target = join(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { force: true }); // /etc/resolv.conf may be a symlink or the host's copy
    await writeFile(target, file.content);
    await chmod(target, file.mode);
  }
  // Per-node identity is added when a node is created: host keys, machine-id, password, authorized key.
  for (const f of await readdir(join(root, 'etc/ssh'))) {
    if (f.startsWith('ssh_host_')) await rm(join(root, 'etc/ssh', f));
  }
  await writeFile(join(root, 'etc/machine-id'), '');
  await rm(join(root, 'var/lib/dbus/machine-id'), { force: true });
  await run('sh', ['-c', `rm -f "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/*_Packages`]);

  const groups = (await readFile(join(root, 'etc/group'), 'utf8')).split('\n').map((l) => l.split(':')[0]);
  const piGroups = PI_GROUPS.filter((g) => groups.includes(g));
  await runOk('useradd', ['--root', root, '-m', '-s', '/bin/bash', '-c', 'pi', '-G', piGroups.join(','), 'pi']);
  await mkdir(join(root, 'home/pi/.ssh'), { recursive: true, mode: 0o700 });

  if (recipe.enable.length) await runOk('systemctl', ['--root', root, 'enable', ...recipe.enable]);
  if (recipe.mask.length) await runOk('systemctl', ['--root', root, 'mask', ...recipe.mask]);
}

/** Removes other builds of the same variant/arch that no mounted overlay uses. */
async function pruneOldBuilds(variant: Variant, arch: Arch, keep: string): Promise<void> {
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  for (const name of await readdir(rootfsDir())) {
    if (name === keep || !name.startsWith(`${variant}-${arch}-`)) continue;
    if (mounts.includes(join(rootfsDir(), name))) continue;
    await rm(join(rootfsDir(), name), { recursive: true, force: true });
  }
}
