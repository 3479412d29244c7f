import { shellQuote as q } from './shell-quote.js';

/**
 * Pure builders of the shell text sent to a node. Kept apart from the transport so they are tested by
 * equality and read in one place.
 */

export type SudoMode =
  /** Logged in as root: no sudo at all. */
  | { kind: 'root' }
  /** No password known: sudo must not ask (NOPASSWD or a cached ticket), else it fails at once. */
  | { kind: 'no-password' }
  /** A password is sent as the first stdin line; the command's own stdin follows it. */
  | { kind: 'password' };

/**
 * With a password, stdin is the password line, then `marker` (a per-command nonce), then the command's
 * own input. sudo reads the password line only when it asks (not under NOPASSWD or a cached ticket);
 * either way the command first reads its stdin up to the marker, so it never sees the password and one
 * sudo suffices (no `sudo -n true` probe first: on an emulated or slow node each sudo is a quarter second).
 */
export function stdinMarker(nonce: string): string {
  return `#kbootstrap-stdin-${nonce}`;
}

/** The command line that runs `script` (as root when sudo is set). Never contains a password. */
export function wrapCommand(script: string, sudo: SudoMode | undefined, nonce = ''): string {
  if (!sudo || sudo.kind === 'root') return `sh -c ${q(script)}`;
  if (sudo.kind === 'no-password') return `sudo -n sh -c ${q(script)}`;
  const skip = `while IFS= read -r kb_line; do [ "$kb_line" = ${q(stdinMarker(nonce))} ] && break; done`;
  return `exec sudo -S -p '' sh -c ${q(`${skip}; ${script}`)}`;
}

/** Stdin for a wrapped command: with a password, the password line and the marker first (see stdinMarker). */
export function wrapStdin(stdin: string | undefined, sudo: SudoMode | undefined, sudoPassword: string | undefined, nonce = ''): string | undefined {
  if (sudo?.kind === 'password') return `${sudoPassword ?? ''}\n${stdinMarker(nonce)}\n${stdin ?? ''}`;
  return stdin;
}

export const DEFAULT_BACKUP_DIR = '/var/lib/kbootstrap/backup';
export const READ_MISSING_EXIT = 44;

export function readFileScript(path: string): string {
  return `if [ -e ${q(path)} ]; then exec cat -- ${q(path)}; else exit ${READ_MISSING_EXIT}; fi`;
}

export interface AtomicWriteSpec {
  path: string;
  mode?: number;
  owner?: string;
  backup?: boolean;
  backupDir?: string;
  /** Where the bytes come from: base64 on stdin, or a file already on the node (removed afterwards). */
  source: { kind: 'stdin-base64' } | { kind: 'file'; path: string };
  /**
   * Byte count the new file must have. A link cut mid-transfer looks like a normal end of stdin to the
   * node, so without this check a truncated file could be renamed into place.
   */
  expectedSize: number;
}

/**
 * One shell script, run as root, that replaces `path` atomically: back the original up once, write a
 * temp file in the same directory, set mode and owner, fsync, rename over the target, fsync the
 * directory. Any failure exits non-zero with the target untouched and the temp files removed.
 */
export function atomicWriteScript(spec: AtomicWriteSpec): string {
  const backupDir = spec.backupDir ?? DEFAULT_BACKUP_DIR;
  const lines = [
    'set -eu',
    `t=${q(spec.path)}`,
    'd=$(dirname -- "$t")',
    'tmp=',
    'btmp=',
    spec.source.kind === 'file' ? `src=${q(spec.source.path)}` : 'src=',
    'cleanup() { rm -f -- ${tmp:+"$tmp"} ${btmp:+"$btmp"} ${src:+"$src"}; }',
    'trap cleanup EXIT',
    "trap 'exit 129' HUP INT TERM PIPE",
    'mkdir -p -- "$d"',
  ];
  if (spec.backup) {
    lines.push(
      `bdir=${q(backupDir)}`,
      'b="$bdir$t"',
      'if [ ! -e "$b" ] && [ ! -e "$b.absent" ]; then',
      '  mkdir -p -m 700 -- "$bdir"',
      '  mkdir -p -- "$(dirname -- "$b")"',
      '  if [ -e "$t" ]; then',
      '    btmp="$b.kbootstrap-tmp"',
      '    cp -p -- "$t" "$btmp"',
      '    sync -- "$btmp"',
      '    mv -f -- "$btmp" "$b"',
      '    btmp=',
      '  else',
      '    : > "$b.absent"',
      '  fi',
      'fi',
    );
  }
  lines.push('tmp=$(mktemp -- "$t.kbootstrap-tmp.XXXXXX")');
  lines.push(spec.source.kind === 'file' ? 'cat -- "$src" > "$tmp"' : 'base64 -d > "$tmp"');
  lines.push(
    'size=$(wc -c < "$tmp")',
    `if [ "$size" -ne ${spec.expectedSize} ]; then echo "kbootstrap: incomplete transfer: got $size of ${spec.expectedSize} bytes" >&2; exit 1; fi`,
  );
  if (spec.mode !== undefined) lines.push(`chmod ${spec.mode.toString(8).padStart(4, '0')} "$tmp"`);
  else lines.push('if [ -e "$t" ]; then chmod --reference="$t" "$tmp"; else chmod 0644 "$tmp"; fi');
  if (spec.owner !== undefined) lines.push(`chown ${q(spec.owner)} "$tmp"`);
  else lines.push('if [ -e "$t" ]; then chown --reference="$t" "$tmp"; else chown 0:0 "$tmp"; fi');
  lines.push('sync -- "$tmp"', 'mv -fT -- "$tmp" "$t"', 'tmp=', 'sync -- "$d" 2>/dev/null || true');
  return lines.join('\n');
}

/** Appends a public key to the login user's authorized_keys unless present; prints "added" when it did. */
export function installKeyScript(): string {
  return [
    'set -eu',
    'umask 077',
    'IFS= read -r key',
    'mkdir -p "$HOME/.ssh"',
    'chmod 700 "$HOME/.ssh"',
    'f="$HOME/.ssh/authorized_keys"',
    'touch "$f"',
    'chmod 600 "$f"',
    'if ! grep -qxF -- "$key" "$f"; then',
    // A file without a final newline would glue our key to its last line.
    '  if [ -s "$f" ] && [ "$(tail -c 1 "$f")" != "" ]; then echo >> "$f"; fi',
    '  printf \'%s\\n\' "$key" >> "$f"',
    '  echo added',
    'fi',
  ].join('\n');
}
