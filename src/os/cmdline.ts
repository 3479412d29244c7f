/**
 * cmdline.txt: ONE line of kernel arguments. k3s documents `cgroup_memory=1 cgroup_enable=memory`;
 * kernels 6.12+ only need `cgroup_enable=memory` (and log `cgroup_memory=1` as unknown), but both are
 * added so older kernels work too. Arguments apply in order, so a `cgroup_disable=memory` in the file
 * is removed: anything later would defeat ours.
 */
export const CGROUP_FLAGS = ['cgroup_memory=1', 'cgroup_enable=memory'] as const;
export const CGROUP_DISABLE = 'cgroup_disable=memory';

/** Kernel arguments, split on whitespace; double quotes may hold spaces (`foo="a b"`). */
export function cmdlineArgs(text: string): string[] {
  return text.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

export interface CmdlineEdit {
  /** The new file, or undefined when nothing needs to change. */
  content?: string;
  /** What was done, for the plan: "add cgroup_memory=1", "remove cgroup_disable=memory", ... */
  actions: string[];
}

export function editCmdline(text: string): CmdlineEdit {
  const nonEmptyLines = text.split('\n').filter((l) => l.trim() !== '');
  const args = cmdlineArgs(nonEmptyLines.join(' '));
  const actions: string[] = [];
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    if (arg === CGROUP_DISABLE) {
      if (!actions.includes(`remove ${CGROUP_DISABLE}`)) actions.push(`remove ${CGROUP_DISABLE}`);
      continue;
    }
    if ((CGROUP_FLAGS as readonly string[]).includes(arg)) {
      if (seen.has(arg)) {
        if (!actions.includes(`remove the duplicate ${arg}`)) actions.push(`remove the duplicate ${arg}`);
        continue;
      }
      seen.add(arg);
    }
    kept.push(arg);
  }
  for (const flag of CGROUP_FLAGS) {
    if (!seen.has(flag)) {
      kept.push(flag);
      actions.push(`add ${flag}`);
    }
  }
  if (nonEmptyLines.length > 1) actions.push(`join ${nonEmptyLines.length} lines into one (cmdline.txt must be a single line)`);
  if (actions.length === 0) return { actions };
  return { content: `${kept.join(' ')}\n`, actions };
}

/** How often each cgroup flag occurs, whether a disable is present, and the line count: for verification. */
export function inspectCmdline(text: string): { counts: Record<string, number>; hasDisable: boolean; lines: number } {
  const args = cmdlineArgs(text);
  const counts: Record<string, number> = {};
  for (const flag of CGROUP_FLAGS) counts[flag] = args.filter((a) => a === flag).length;
  return { counts, hasDisable: args.includes(CGROUP_DISABLE), lines: text.split('\n').filter((l) => l.trim() !== '').length };
}
