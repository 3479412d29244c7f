import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import type { NodeChange } from '../change/types.js';
import { editCmdline } from './cmdline.js';
import { modelFilters, setConfigValue } from './config-txt.js';

export const REBOOT_CMDLINE = 'kernel command line changed';
export const REBOOT_CONFIG = 'config.txt changed';

export function isPiBoard(node: ResolvedNode): boolean {
  return node.board === 'rpi4' || node.board === 'rpi5';
}

export interface BootPlan {
  changes: NodeChange[];
  rebootReasons: string[];
}

/**
 * The boot partition of a Pi: the memory cgroup in cmdline.txt and gpu_mem in config.txt. Nothing for
 * vagrant/generic boards or when the facts found no boot partition. No mode on these changes: the boot
 * partition is FAT, where modes come from the mount options and chmod can fail.
 */
export function planBootConfig(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory): BootPlan {
  const plan: BootPlan = { changes: [], rebootReasons: [] };
  if (!isPiBoard(node) || !facts.boot) return plan;
  const { cmdline, config } = facts.boot;

  if (inv.prepare.cgroups) {
    const edit = editCmdline(cmdline.content ?? '');
    if (edit.content !== undefined) {
      plan.changes.push({
        kind: 'file',
        description: `enable the memory cgroup in ${cmdline.path}: ${edit.actions.join(', ')}`,
        path: cmdline.path,
        content: edit.content,
        before: cmdline.content,
      });
      plan.rebootReasons.push(REBOOT_CMDLINE);
    }
  }

  const gpuMem = String(inv.prepare.gpuMem);
  const content = setConfigValue(config.content ?? '', 'gpu_mem', gpuMem, modelFilters(node.board, facts.boardModel));
  if (content !== undefined) {
    plan.changes.push({
      kind: 'file',
      description: `set gpu_mem=${gpuMem} in ${config.path}`,
      path: config.path,
      content,
      before: config.content,
    });
    plan.rebootReasons.push(REBOOT_CONFIG);
  }
  return plan;
}
