import { buildUninstallCommand } from '../k3s/uninstall.js';
import { DEFAULT_BACKUP_DIR } from '../ssh/remote-scripts.js';
import { change } from './change.js';
import { requireTransport, type NodeState, type RunContext } from './context.js';


/**
 * Puts back every file kbootstrap replaced (originals kept under DEFAULT_BACKUP_DIR by Transport.writeFile)
 * and deletes the files it created (the `.absent` markers), each atomically, then drops the backups.
 */
export const RESTORE_BACKUPS_COMMAND = [
  `b=${DEFAULT_BACKUP_DIR}`,
  '[ -d "$b" ] || exit 0',
  'cd "$b" || exit 1',
  `find . -type f ! -name '*.absent' | while IFS= read -r f; do p="/\${f#./}"; mkdir -p "$(dirname "$p")" && cp -p "$f" "$p.kbootstrap-tmp" && mv -f "$p.kbootstrap-tmp" "$p" || exit 1; done`,
  `find . -type f -name '*.absent' | while IFS= read -r f; do p="/\${f#./}"; rm -f "\${p%.absent}"; done`,
  'cd / && rm -rf "$b"',
].join('\n');

/** Uninstalls k3s (if kbootstrap installed it) and restores the node's files as they were. */
export async function uninstallAndRestore(ctx: RunContext, state: NodeState): Promise<void> {
  const t = () => requireTransport(state);
  const k3s = state.facts?.k3s;
  if (!k3s || k3s.installed) {
    const role = k3s?.role ?? state.node.role;
    await change(ctx, state, `uninstall k3s ${role}`, () => t().run(buildUninstallCommand(role), { sudo: true, description: 'uninstall k3s' }).then(() => undefined));
  }
  if (!state.facts || state.facts.backups.length > 0) {
    await change(ctx, state, `restore ${state.facts?.backups.length ?? 'the'} file(s) kbootstrap changed, from ${DEFAULT_BACKUP_DIR}`, () =>
      t().run(RESTORE_BACKUPS_COMMAND, { sudo: true, description: 'restore backed-up files' }).then(() => undefined));
  }
}
