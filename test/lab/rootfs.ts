import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withLock } from './lock.js';
import { debianMirror } from './mirror.js';
import { CACHE_ROOT, type Arch, type Variant } from './paths.js';
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
 * so a half build is never used and a running lab's lower dir is never replaced under it.
 */
export async function ensureRootfs(variant: Variant, arch: Arch, log: (m: string) => void = () => undefined): Promise<RootfsInfo> {
  const started = Date.now();
  const recipe = buildRecipe(variant, arch);
  const key = `${variant}-${arch}-${recipeHash(recipe)}`;
  const path = join(rootfsDir(), key);
  const done = (built: boolean): RootfsInfo => ({ path, recipe, built, seconds: (Date.now() - started) / 1000 });
  if (existsSync(join(path, MARKER))) return done(false);
  await mkdir(rootfsDir(), { recursive: true });
  // One build at a time on the host: builds share the .deb cache and the 2 cores.
  return withLock(join(rootfsDir(), '.build.lock'), 'another rootfs build', async () => {
    if (existsSync(join(path, MARKER))) return done(false);
    const tmp = join(rootfsDir(), `.build-${key}-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    log(`building ${variant}/${arch} root filesystem (debootstrap ${recipe.suite}); first time only`);
    try {
      await debootstrap(recipe, tmp);
      await customize(recipe, tmp);
      await writeFile(join(tmp, MARKER), JSON.stringify(recipe, null, 2));
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    await pruneOldBuilds(variant, arch, key);
    log(`built ${variant}/${arch} in ${Math.round((Date.now() - started) / 1000)} s`);
    return done(true);
  }, log);
}

/** Documentation is left out of node disks: it costs minutes of emulated dpkg work on arm64. */
const DPKG_BUILD_CFG = `path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
force-unsafe-io
`;

/**
 * Two stages: the first unpacks natively, then dpkg is told to skip docs and fsyncs before the second
 * stage configures the packages (under qemu-user for arm64).
 */
async function debootstrap(recipe: RootfsRecipe, target: string): Promise<void> {
  const debCache = join(CACHE_ROOT, 'debs', `${recipe.suite}-${recipe.arch}`);
  await mkdir(debCache, { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = [
    '--foreign', '--variant=minbase', `--arch=${recipe.arch}`, `--include=${recipe.packages.join(',')}`,
    `--cache-dir=${debCache}`, recipe.suite, target, debianMirror(),
  ];
  const fail = async (stage: string, r: { code: number; stderr: string; stdout: string }) => {
    const logTail = await readFile(join(target, 'debootstrap', 'debootstrap.log'), 'utf8').catch(() => '');
    return new Error(`debootstrap ${stage} ${recipe.suite}/${recipe.arch} failed (exit ${r.code}): ${(r.stderr + r.stdout).slice(-1500)}\n${logTail.slice(-1500)}`);
  };
  const first = await run('debootstrap', args, { env });
  if (first.code !== 0) throw await fail('first stage', first);
  const cfg = join(target, 'etc/dpkg/dpkg.cfg.d/01-kbootstrap-lab-build');
  await mkdir(dirname(cfg), { recursive: true });
  await writeFile(cfg, DPKG_BUILD_CFG);
  const second = await run('chroot', [target, '/debootstrap/debootstrap', '--second-stage'], { env: { ...env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
  if (second.code !== 0) throw await fail('second stage', second);
  // Keep the doc exclusions (as a slim image would), drop unsafe-io for the node's own dpkg runs.
  await writeFile(cfg, DPKG_BUILD_CFG.replace('force-unsafe-io\n', ''));
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
