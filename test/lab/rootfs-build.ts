import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { arch as hostArch } from 'node:os';
import { basename, join } from 'node:path';
import { run, runOk } from './sh.js';
import type { RootfsRecipe } from './variants.js';

/**
 * Builds a Debian root filesystem for the lab in three steps, so that under qemu-user (arm64 nodes on
 * an amd64 host) only the maintainer scripts are emulated:
 *   1. mmdebstrap (variant "extract") resolves the package set with the host's apt, downloads what the
 *      .deb cache lacks and extracts the packages natively: the tree has a shell and dpkg afterwards;
 *   2. the host's dpkg (`--root`) unpacks the same .debs natively, which records them in the node's dpkg
 *      database (preinst scripts run chrooted, so emulated, but there are few);
 *   3. the node's own dpkg configures everything (`dpkg --configure -a` in a chroot: the one emulated
 *      step on arm64; postinst scripts and triggers).
 * debootstrap instead unpacks every package twice, the second time with an emulated dpkg (xz, file
 * writes and all), and runs its shell-script second stage under qemu: 9 to 11 minutes for Trixie arm64.
 */

/** Documentation is left out of node disks (as slim images do). */
export const DPKG_EXCLUDES = [
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-include=/usr/share/locale/locale.alias',
];

export type Progress = (m: string) => void;

const DEB_LIST = 'kbootstrap-lab-debs.txt';

/** Reports a long build: the stage, how far (packages done / total) and the time so far, every 15 s at most. */
export class BuildProgress {
  private readonly started = Date.now();
  private lastReport = 0;
  private stage = '';
  private done = 0;
  total = 0;
  constructor(private readonly what: string, private readonly log: Progress, private readonly everyMs = 15_000) {}

  elapsed(): string {
    const s = Math.round((Date.now() - this.started) / 1000);
    return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
  }

  begin(stage: string): void {
    this.stage = stage;
    this.done = 0;
    this.report(true);
  }

  step(): void {
    this.done += 1;
    this.report(false);
  }

  private report(force: boolean): void {
    if (!force && Date.now() - this.lastReport < this.everyMs) return;
    this.lastReport = Date.now();
    const far = this.total && this.done ? ` ${Math.min(this.done, this.total)}/${this.total} packages` : '';
    this.log(`${this.what}: ${this.stage}${far}, ${this.elapsed()} so far`);
  }
}

/** Runs a command, calling onLine for each line of its output; keeps the last lines for an error. */
function runLines(cmd: string, args: string[], env: NodeJS.ProcessEnv, onLine: (l: string) => void): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let partial = '';
    const feed = (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        tail.push(l);
        if (tail.length > 30) tail.shift();
        onLine(l);
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, tail: [...tail, partial].join('\n').trim() }));
  });
}

const HOST_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

/**
 * The merged-/usr links debootstrap makes for bookworm and bullseye (Trixie's base-files ships them).
 * On bookworm, usr-is-merged (which only checks them) then stands in for usrmerge, which
 * init-system-helpers would otherwise pull in with perl modules and a conversion script.
 */
function mergedUsr(recipe: RootfsRecipe): string[] {
  if (recipe.suite === 'trixie') return [];
  const dirs = ['bin', 'sbin', 'lib', ...(recipe.arch === 'amd64' ? ['lib64'] : [])];
  return [
    `--setup-hook=${dirs.map((d) => `mkdir -p "$1/usr/${d}" && ln -s usr/${d} "$1/${d}"`).join(' && ')}`,
    ...(recipe.suite === 'bookworm' ? ['--include=usr-is-merged'] : []),
  ];
}

export async function buildRoot(recipe: RootfsRecipe, target: string, debCache: string, mirror: string, progress: BuildProgress): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  const fail = (step: string, r: { code: number; tail: string }) =>
    new Error(`${step} for ${recipe.variant}/${recipe.arch} failed (exit ${r.code}): ${r.tail.slice(-2000)}`);
  const archives = join(target, 'var/cache/apt/archives');

  // 1. Resolve, download (into the shared .deb cache), extract natively.
  progress.begin(`downloading and extracting ${recipe.suite} packages (native)`);
  await mkdir(debCache, { recursive: true });
  const extract = await runLines('mmdebstrap', [
    '--mode=root', '--variant=extract', `--architectures=${recipe.arch}`,
    '--include=?essential', '--include=?priority(required)', `--include=${recipe.packages.join(',')}`,
    ...mergedUsr(recipe),
    `--setup-hook=mkdir -p "$1/var/cache/apt/archives"`,
    `--setup-hook=sync-in ${debCache} /var/cache/apt/archives/`,
    // The .debs of this package set (the cache may hold others): mmdebstrap names them to extract hooks.
    `--extract-hook=printf '%s\\n' $MMDEBSTRAP_ESSENTIAL > "$1/${DEB_LIST}"`,
    '--skip=cleanup/apt/cache',
    recipe.suite, target, mirror,
  ], env, (l) => {
    if (/^I: extracting archives/.test(l)) progress.begin(`extracting ${recipe.suite} packages (native)`);
  });
  if (extract.code !== 0) throw fail('mmdebstrap (download and extract)', extract);
  const listed = await readFile(join(target, DEB_LIST), 'utf8');
  await rm(join(target, DEB_LIST));
  const debs = listed.split('\n').filter((f) => f.endsWith('.deb')).map((f) => basename(f));
  if (debs.length === 0) throw new Error(`mmdebstrap named no packages for ${recipe.variant}/${recipe.arch}`);
  progress.total = debs.length;
  await saveDebs(archives, debs, debCache);

  // 2. Unpack natively with the host's dpkg, which fills the node's dpkg database.
  progress.begin('unpacking (native dpkg)');
  const foreign = recipe.arch !== HOST_ARCH[hostArch()];
  const unpack = await runLines('dpkg', [
    `--root=${target}`, '--force-depends', '--force-unsafe-io', ...(foreign ? ['--force-architecture'] : []),
    ...DPKG_EXCLUDES.map((o) => `--${o}`),
    '--unpack', ...debs.map((d) => join(archives, d)),
  ], env, (l) => {
    if (l.startsWith('Unpacking ')) progress.step();
  });
  if (unpack.code !== 0) throw fail('dpkg --unpack (native)', unpack);

  // What step 1 extracted of the docs (plain tar: mmdebstrap's python filter for path-exclude costs more
  // than deleting afterwards); the node's own dpkg runs keep them out from now on.
  await removeDocs(target);
  await writeFile(join(target, 'etc/dpkg/dpkg.cfg.d/01-kbootstrap-lab'), `${DPKG_EXCLUDES.join('\n')}\n`);

  // 3. Configure with the node's own dpkg (under qemu-user on a foreign architecture). Every process a
  // maintainer script starts costs a qemu start-up, so work whose result is thrown away is skipped: the
  // SSH host keys (each node gets its own; openssh-server's postinst creates only missing ones, and an
  // emulated RSA key takes long) are placeholders until customize() removes them.
  progress.begin(`configuring${foreign ? ` (emulated ${recipe.arch})` : ''}`);
  for (const k of ['rsa', 'ecdsa', 'ed25519']) await writeFile(join(target, `etc/ssh/ssh_host_${k}_key`), '', { mode: 0o600 });
  await runOk('mount', ['-t', 'proc', 'proc', join(target, 'proc')]);
  try {
    const configure = await runLines('chroot', [target, 'dpkg', '--force-unsafe-io', '--configure', '-a'], env, (l) => {
      if (l.startsWith('Setting up ')) progress.step();
    });
    if (configure.code !== 0) throw fail('dpkg --configure -a', configure);
  } finally {
    await run('umount', ['-l', join(target, 'proc')]);
  }
  await run('sh', ['-c', `rm -f "${archives}"/*.deb`]);
}

/** DPKG_EXCLUDES applied to a tree: docs, man and info pages and locales go, copyright files and locale.alias stay. */
async function removeDocs(root: string): Promise<void> {
  const share = join(root, 'usr/share');
  await runOk('sh', ['-c', [
    `find "${share}/doc" -mindepth 1 ! -type d ! -name copyright -delete`,
    `rm -rf "${share}"/man/* "${share}"/info/*`,
    `find "${share}/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +`,
  ].join(' && ')]);
}

/** Copies new .debs into the shared cache; each file lands under its final name only when complete. */
async function saveDebs(from: string, debs: string[], cache: string): Promise<void> {
  const have = new Set(await readdir(cache));
  for (const d of debs) {
    if (have.has(d)) continue;
    const partial = join(cache, `.${d}.${process.pid}`);
    await copyFile(join(from, d), partial);
    await rename(partial, join(cache, d));
  }
}
