import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FACTS_SCRIPT } from '../../src/facts/script.js';

/**
 * A fake node for the facts script: a file tree used as KB_FACTS_ROOT, plus stub commands (systemctl,
 * ip, uname) first on PATH that print canned output. Cleans itself up.
 */
export interface FakeNode {
  root: string;
  /** args: the script's arguments (`sh -s first-server`). */
  run(args?: string[]): { stdout: string; stderr: string; code: number; ms: number };
  cleanup(): void;
}

export type TreeFile = string | Buffer | { content: string | Buffer; mode: number };

export interface FakeNodeSpec {
  files: Record<string, TreeFile>;
  /** Canned outputs of the stubs. */
  systemctl?: { active?: Record<string, string>; enabled?: Record<string, string>; swapUnits?: string; since?: string };
  ipLink?: string;
  ipAddr?: string;
  ipRoute?: string;
  uname?: string;
}

function write(path: string, file: TreeFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const { content, mode } = typeof file === 'string' || Buffer.isBuffer(file) ? { content: file, mode: 0o644 } : file;
  writeFileSync(path, content);
  chmodSync(path, mode);
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `systemctl show -p ActiveState,UnitFileState,ActiveEnterTimestamp U...`: one block per unit, as systemd prints them. */
function systemctlStub(spec: NonNullable<FakeNodeSpec['systemctl']>): string {
  const active = Object.entries(spec.active ?? {}).map(([u, s]) => `    ${u}) state=${s} ;;`);
  const enabled = Object.entries(spec.enabled ?? {}).map(([u, s]) => `    ${u}) file=${s} ;;`);
  return [
    '#!/bin/sh',
    'verb=$1; shift',
    'case $verb in',
    'show)',
    '  shift 2; first=1',
    '  for u in "$@"; do',
    '    state=inactive; file=; since=',
    '    case $u in',
    ...active,
    '    esac',
    '    case $u in',
    ...enabled,
    '    esac',
    `    [ "$state" = active ] && since=${sq(spec.since ?? '')}`,
    '    [ -n "$first" ] || echo; first=',
    '    printf "ActiveState=%s\\nUnitFileState=%s\\nActiveEnterTimestamp=%s\\n" "$state" "$file" "$since"',
    '  done ;;',
    `list-units) printf '%s' ${sq(spec.swapUnits ?? '')} ;;`,
    'esac',
  ].join('\n');
}

export function fakeNode(spec: FakeNodeSpec): FakeNode {
  const dir = mkdtempSync(join(tmpdir(), 'kb-facts-'));
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  mkdirSync(root);
  for (const [path, file] of Object.entries(spec.files)) write(join(root, path), file);
  // Without a stub the real command runs (a container without systemd makes systemctl fail: also a case).
  if (spec.systemctl) write(join(bin, 'systemctl'), { content: systemctlStub(spec.systemctl), mode: 0o755 });
  const ipOut = (arg: string) => (arg === 'link' ? spec.ipLink : arg === 'addr' ? spec.ipAddr : spec.ipRoute) ?? '';
  if (spec.ipLink !== undefined || spec.ipAddr !== undefined || spec.ipRoute !== undefined) {
    write(join(bin, 'ip'), {
      // `ip -o -batch -`: the commands come on stdin, the outputs one after the other.
      content: ['#!/bin/sh', 'while read -r cmd rest; do', '  case $cmd in', ...['link', 'addr', 'route'].map((a) => `  ${a}) [ -n ${sq(ipOut(a))} ] && printf '%s\\n' ${sq(ipOut(a))} ;;`), '  esac', 'done'].join('\n'),
      mode: 0o755,
    });
  }
  if (spec.uname) write(join(bin, 'uname'), { content: `#!/bin/sh\necho ${sq(spec.uname)}\n`, mode: 0o755 });

  return {
    root,
    run(args = []) {
      const started = Date.now();
      const r = spawnSync('dash', ['-s', ...args], {
        input: FACTS_SCRIPT,
        env: { ...process.env, KB_FACTS_ROOT: root, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
        encoding: 'utf8',
      });
      return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1, ms: Date.now() - started };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
