import { UserError } from '../errors.js';
import { detectNetworkStack } from './network-stack.js';
import {
  buildInterfaces, FileBlobMismatch, lines, parseCgroups, parseDefaultRoute, parseDf, parseK3sVersion,
  parseMeminfo, parseOsRelease, parseProcSwaps, parseSha256sums, sliceFileBlob, zipUnitStates,
} from './raw-parsers.js';
import type { FileFact, NodeFacts, ServerSnapshot } from './types.js';

/** The script's output: section name → raw text (see script.sh). */
type Sections = Record<string, string>;

const REQUIRED = ['format', 'uname', 'clock_ms', 'uid', 'file_candidates', 'file_stats', 'file_blob'] as const;

/** The facts script changed its files between `stat` and `cat`; gathering again fixes it. */
export class FactsRaceError extends UserError {}

/** Turns the facts script's JSON into NodeFacts; garbage gives an error naming the node and the output's start. */
export function parseFacts(json: string, node: string): NodeFacts {
  const s = parseSections(json, node);
  let files: Record<string, FileFact>;
  try {
    files = sliceFileBlob(lines(s.file_candidates), s.file_stats ?? '', s.file_blob ?? '', s.root ?? '');
  } catch (err) {
    if (!(err instanceof FileBlobMismatch)) throw err;
    throw new FactsRaceError(`files on ${node} changed while its facts were read: ${err.message}`, {
      where: { node },
      hint: 'run again; if it persists, something on the node keeps rewriting that file',
      cause: err,
    });
  }
  const [kernel = '', arch = ''] = (s.uname ?? '').trim().split(/\s+/);
  const unitStates = zipUnitStates(lines(s.units), lines(s.units_active).map((l) => l.trim()));
  const tools = lines(s.tools).map((l) => l.trim());
  const { stack, netplanRenderer } = detectNetworkStack({ unitStates, tools, files });
  const osText = files['/etc/os-release']?.content ?? files['/usr/lib/os-release']?.content ?? '';
  const os = parseOsRelease(osText);
  const { backups, absentBackups } = parseBackups(s.backups);

  const facts: NodeFacts = {
    osRelease: {
      id: os.ID ?? 'unknown',
      ...optional('versionId', os.VERSION_ID),
      ...optional('codename', os.VERSION_CODENAME ?? os.UBUNTU_CODENAME),
      ...optional('prettyName', os.PRETTY_NAME),
      ...optional('idLike', os.ID_LIKE),
    },
    arch,
    kernel,
    ...optional('boardModel', boardModelOf(s)),
    hostname: (s.hostname ?? '').trim() || (files['/etc/hostname']?.content ?? '').trim(),
    machineId: (s.machine_id ?? '').trim(),
    interfaces: buildInterfaces(s.ip_link ?? '', s.ip_addr ?? ''),
    ...optional('defaultRoute', parseDefaultRoute(s.ip_route_default ?? '')),
    networkStack: stack,
    ...optional('netplanRenderer', netplanRenderer),
    ...optional('boot', bootOf(s.boot_dir, files)),
    files,
    swap: swapOf(s, files, unitStates, tools),
    cgroup: parseCgroups(s.cgroup2_controllers, s.proc_cgroups),
    procCmdline: (s.proc_cmdline ?? '').trim(),
    ...optional('ownKernel', ownKernelOf(s.container)),
    clockMs: parseClockMs(s.clock_ms ?? ''),
    disk: parseDf(s.df ?? ''),
    memory: parseMeminfo(s.meminfo ?? ''),
    k3s: k3sOf(s, unitStates),
    backups,
    absentBackups,
    sudoOk: (s.uid ?? '').trim() === '0',
    tools,
    serviceStates: unitStates,
    ...rebootPendingOf(s.boot_id, s.reboot_pending),
    ...optional('cloudInit', cloudInitOf(s.cloud_init)),
  };
  return facts;
}

/** The cloud_init section: "installed", "disabled", "seed <path>" lines; nothing when cloud-init is absent. */
function cloudInitOf(text: string | undefined): NodeFacts['cloudInit'] {
  const entries = lines(text).map((l) => l.trim());
  if (!entries.includes('installed')) return undefined;
  return { disabled: entries.includes('disabled'), bootSeed: entries.filter((l) => l.startsWith('seed /')).map((l) => l.slice('seed '.length)) };
}

/** The marker's first line is the boot id it was written under: pending only while that boot lasts. */
function rebootPendingOf(bootId: string | undefined, marker: string | undefined): Pick<NodeFacts, 'bootId' | 'rebootPending'> {
  const id = (bootId ?? '').trim();
  if (!id) return {};
  const [markedBoot = '', ...reasons] = lines(marker).map((l) => l.trim());
  return { bootId: id, rebootPending: markedBoot === id ? reasons.filter((r) => r !== '') : [] };
}

function parseSections(json: string, node: string): Sections {
  const head = printableHead(json);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new UserError(`the facts script on ${node} did not print JSON`, {
      where: { node },
      hint: head ? `its output began with: ${head}` : 'it printed nothing: is /bin/sh and awk present on the node?',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new UserError(`the facts script on ${node} printed JSON of an unexpected shape`, { where: { node }, hint: `its output began with: ${head}` });
  }
  const sections = value as Sections;
  const missing = REQUIRED.filter((k) => !(k in sections));
  if (missing.length > 0 || sections.format !== '1') {
    throw new UserError(`the facts from ${node} are incomplete (missing ${missing.join(', ') || 'format 1'})`, {
      where: { node },
      hint: `the script was cut short or is of another version; its output began with: ${head}`,
    });
  }
  return sections;
}

function printableHead(text: string): string {
  return text.slice(0, 200).replace(/[^\x20-\x7e]+/g, ' ').trim();
}

/** `systemd-detect-virt --container`: "none" on the node's own kernel, the container manager's name else. */
function ownKernelOf(text: string | undefined): boolean | undefined {
  const v = (text ?? '').trim();
  return v === '' ? undefined : v === 'none';
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The lab shim wins (an emulated node shows its host's device tree or none), then device tree, then cpuinfo. */
function boardModelOf(s: Sections): string | undefined {
  const clean = (t: string | undefined) => (t ?? '').replace(/\0/g, '').trim() || undefined;
  const cpuinfo = /^Model\s*:\s*(.+)$/m.exec(s.model_cpuinfo ?? '')?.[1];
  return clean(s.model_lab) ?? clean(s.model_devicetree) ?? clean(cpuinfo);
}

function bootOf(dirText: string | undefined, files: Record<string, FileFact>): NodeFacts['boot'] {
  const dir = (dirText ?? '').trim();
  if (!dir) return undefined;
  const file = (path: string): FileFact => files[path] ?? { path, content: null };
  return { dir, cmdline: file(`${dir}/cmdline.txt`), config: file(`${dir}/config.txt`) };
}

const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'static', 'generated', 'alias', 'indirect']);

function swapOf(s: Sections, files: Record<string, FileFact>, unitStates: Record<string, string>, tools: string[]): NodeFacts['swap'] {
  const active = parseProcSwaps(s.proc_swaps ?? '');
  const exists = (path: string) => (files[path]?.content ?? null) !== null;
  const dphysInstalled = tools.includes('dphys-swapfile');
  const enabledState = (s.dphys_enabled ?? '').trim();
  const swapUnits = lines(s.swap_units)
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter((u) => u.endsWith('.swap'));
  return {
    active,
    dphysSwapfile: {
      installed: dphysInstalled,
      enabled: dphysInstalled && (ENABLED_STATES.has(enabledState) || unitStates['dphys-swapfile'] === 'active'),
    },
    zram: {
      configured:
        exists('/etc/systemd/zram-generator.conf') ||
        exists('/usr/lib/systemd/zram-generator.conf') ||
        exists('/etc/rpi/swap.conf') ||
        active.some((a) => a.device.startsWith('/dev/zram')),
    },
    fstabSwap: swapUnits.length > 0 ? swapUnits : fstabSwapDevices(files['/etc/fstab']?.content ?? null),
  };
}

/** Without systemd to ask, the swap entries of /etc/fstab (device as written). */
function fstabSwapDevices(fstab: string | null): string[] {
  return lines(fstab ?? '')
    .filter((l) => !l.trim().startsWith('#'))
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols[2] === 'swap' && !(cols[3] ?? '').split(',').includes('noauto'))
    .map((cols) => cols[0]!);
}

/** `date +%s%3N` prints ms; a date without %N support prints "1700000000%3N" or "17000000003N". */
function parseClockMs(text: string): number {
  const t = text.trim();
  if (/^\d{13}$/.test(t)) return Number(t);
  const seconds = /^(\d{10})/.exec(t)?.[1];
  return seconds ? Number(seconds) * 1000 : Number.NaN;
}

function k3sOf(s: Sections, unitStates: Record<string, string>): NodeFacts['k3s'] {
  const version = parseK3sVersion(lines(s.k3s_version)[0] ?? '');
  const binarySha256 = /^[0-9a-f]{64}$/.exec((s.k3s_binary_sha256 ?? '').trim())?.[0];
  const units = lines(s.k3s_units).map((l) => l.trim());
  const role: 'server' | 'agent' | undefined = units.includes('k3s') ? 'server' : units.includes('k3s-agent') ? 'agent' : undefined;
  const unit = role === 'agent' ? 'k3s-agent' : role === 'server' ? 'k3s' : undefined;
  const sums = parseSha256sums(s.k3s_sha256 ?? '');
  const sumOf = (suffix: string) => [...sums.entries()].find(([path]) => path.endsWith(suffix))?.[1];
  const serviceActive = unit ? unitStates[unit] === 'active' : unitStates.k3s === 'active' || unitStates['k3s-agent'] === 'active';
  const since = lines(s.k3s_active_since)
    .map((l) => [l.trim().split(/\s+/)[0], utcTimestampMs(l)] as const)
    .find(([u, ms]) => (unit ? u === unit : true) && ms !== undefined);
  return {
    installed: version !== undefined || binarySha256 !== undefined,
    ...optional('version', version),
    ...optional('role', role),
    serviceActive,
    ...optional('serviceSinceMs', since ? Number(since[1]) : undefined),
    ...optional('configSha256', sumOf('/etc/rancher/k3s/config.yaml')),
    ...optional('unitSha256', unit ? sumOf(`/etc/systemd/system/${unit}.service`) : undefined),
    ...optional('binarySha256', binarySha256),
  };
}

/** The first server's extra sections (see ServerSnapshot); undefined when the script was not asked for them. */
export function parseServerSnapshot(json: string): ServerSnapshot | undefined {
  const s = JSON.parse(json) as Sections;
  if (s.server_token === undefined) return undefined;
  const text = (v: string | undefined) => (v ?? '').trim();
  return {
    token: text(s.server_token),
    agentToken: text(s.server_agent_token),
    kubeconfig: s.server_kubeconfig ? `${s.server_kubeconfig}\n` : '',
    addons: s.server_addons ?? '',
    runLock: text(s.run_lock),
    runGeneration: /^\d+$/.test(text(s.run_generation)) ? Number(text(s.run_generation)) : 0,
  };
}

/** systemd's "Thu 2025-01-02 03:04:05 UTC" (the script asks for it with TZ=UTC) → ms since the epoch. */
function utcTimestampMs(text: string): number | undefined {
  const m = /(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC\b/.exec(text);
  return m ? Date.parse(`${m[1]}T${m[2]}Z`) : undefined;
}

/** Backup tree entries ("/etc/hosts", "/etc/x.absent") → originals; leftovers of an interrupted backup are skipped. */
function parseBackups(text: string | undefined): { backups: string[]; absentBackups: string[] } {
  const backups: string[] = [];
  const absentBackups: string[] = [];
  for (const entry of lines(text).map((l) => l.trim())) {
    if (entry.endsWith('.kbootstrap-tmp')) continue;
    if (entry.endsWith('.absent')) {
      const original = entry.slice(0, -'.absent'.length);
      backups.push(original);
      absentBackups.push(original);
    } else backups.push(entry);
  }
  return { backups: backups.sort(), absentBackups: absentBackups.sort() };
}
