import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from './sh.js';

const ENTRY = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
const REGISTER = fileURLToPath(new URL('./register-qemu-aarch64.sh', import.meta.url));
/** P: keep argv[0]; O: open the binary for the interpreter (execveat); C: setuid keeps working (sudo); F: fixed interpreter, usable in containers. */
export const NEEDED_FLAGS = 'POCF';

export interface Aarch64Emulation {
  enabled: boolean;
  interpreter?: string;
  flags: string;
}

/** The live qemu-aarch64 binfmt_misc entry (the text of /proc/sys/fs/binfmt_misc/qemu-aarch64). */
export function parseBinfmtEntry(text: string): Aarch64Emulation {
  return {
    enabled: /^enabled$/m.test(text),
    interpreter: /^interpreter (\S+)$/m.exec(text)?.[1],
    flags: /^flags: ?(\S*)$/m.exec(text)?.[1] ?? '',
  };
}

/** What is wrong with an entry for the lab's arm64 nodes, in words; empty when nothing is. */
export function emulationProblems(e: Aarch64Emulation | undefined): string[] {
  if (!e) return ['no qemu-aarch64 entry is registered in binfmt_misc'];
  const problems: string[] = [];
  if (!e.enabled) problems.push('the qemu-aarch64 entry is disabled');
  const missing = [...NEEDED_FLAGS].filter((f) => !e.flags.includes(f));
  if (missing.length) {
    const why: Record<string, string> = {
      P: 'P (argv[0] kept)',
      O: 'O (systemd >= 255 starts services with execveat)',
      C: 'C (without it sudo fails on arm64 nodes with "effective uid is not 0")',
      F: 'F (the interpreter is usable inside containers)',
    };
    problems.push(`qemu-aarch64 has flags "${e.flags}", missing ${missing.map((f) => why[f]).join(', ')}`);
  }
  return problems;
}

function readEntry(): Aarch64Emulation | undefined {
  try {
    return parseBinfmtEntry(readFileSync(ENTRY, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * arm64 nodes run under qemu-user through binfmt_misc. Something else on the host (a qemu package
 * upgrade, update-binfmts, systemd-binfmt at boot) may have re-registered the entry without a flag the
 * lab needs; re-register it (register-qemu-aarch64.sh, as install-deps.sh does), and explain when that
 * is not possible.
 */
export async function ensureAarch64Emulation(log: (m: string) => void = () => undefined): Promise<void> {
  const before = emulationProblems(readEntry());
  if (before.length === 0) return;
  log(`arm64 emulation: ${before.join('; ')}; re-registering qemu-aarch64 with flags ${NEEDED_FLAGS}`);
  const r = await run('bash', [REGISTER]);
  const after = emulationProblems(readEntry());
  if (r.code !== 0 || after.length) {
    throw new Error(
      `arm64 lab nodes need qemu-aarch64 registered in binfmt_misc with flags ${NEEDED_FLAGS}: ${(after.length ? after : before).join('; ')}` +
        `${r.stderr.trim() ? ` (${r.stderr.trim().split('\n').pop()})` : ''}. Run: sudo bash test/lab/install-deps.sh`,
    );
  }
  log(`arm64 emulation: ${r.stdout.trim()}`);
}
