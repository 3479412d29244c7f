import type { NodeFacts } from '../facts/types.js';
import type { NodeChange } from '../change/types.js';
import { renderTemplate } from '../templates.js';
import { joinLines, parseMode, splitLines } from './text.js';

export const RPI_SWAP_CONF = '/etc/rpi/swap.conf';
/**
 * rpi-swap (Trixie) reads /etc/rpi/swap.conf, then drop-ins from {/usr/lib,/usr/local/lib,/run,/etc}/rpi/swap.conf.d/
 * sorted by file name, the last setting winning (swap.conf(5) in raspberrypi/rpi-swap). `[Main]
 * Mechanism=none` makes its generator set up no swap and remove the swap file; a drop-in named to
 * sort last wins over the image's main file and earlier drop-ins.
 */
export const RPI_SWAP_DROPIN = '/etc/rpi/swap.conf.d/99-kbootstrap-swap-off.conf';
/** systemd's zram-generator: the /etc main file shadows the vendor one in /usr/lib. */
export const ZRAM_GENERATOR_CONF = '/etc/systemd/zram-generator.conf';
export const FSTAB = '/etc/fstab';
export const DPHYS_SWAPFILE_CONF = '/etc/dphys-swapfile';
export const FSTAB_DISABLED_PREFIX = '# kbootstrap: ';

/**
 * Swap off now and at every boot, the way the node's OS does swap: dphys-swapfile (Bullseye,
 * Bookworm), rpi-swap (Trixie), systemd zram-generator, fstab entries; then `swapoff -a` when swap is
 * active. Each part is planned from what the facts show installed, so an upgraded system that has
 * both is handled too. Nothing when no swap is active or configured. No reboot needed.
 */
export function planSwapOff(facts: NodeFacts): NodeChange[] {
  const changes: NodeChange[] = [];
  const active = facts.swap.active;
  const dphys = facts.swap.dphysSwapfile;

  if (dphys.installed && (dphys.enabled || active.some((s) => s.type === 'file'))) {
    changes.push({
      kind: 'command',
      description: 'turn off and disable dphys-swapfile (removes its swap file)',
      command: 'dphys-swapfile swapoff; dphys-swapfile uninstall; systemctl disable --now dphys-swapfile',
    });
  }

  const rpiSwapInstalled = (facts.files[RPI_SWAP_CONF]?.content ?? null) !== null;
  const dropIn = facts.files[RPI_SWAP_DROPIN];
  if (rpiSwapInstalled || (dropIn?.content ?? null) !== null) {
    const content = renderTemplate('os/rpi-swap-off.conf', {});
    if (dropIn?.content !== content) {
      changes.push({ kind: 'file', description: `set rpi-swap's Mechanism=none in ${RPI_SWAP_DROPIN}`, path: RPI_SWAP_DROPIN, content, before: dropIn?.content ?? null, mode: 0o644 });
    }
  }

  const zram = facts.files[ZRAM_GENERATOR_CONF];
  const zramHasDevices = /^\s*\[zram\d+\]/m.test(zram?.content ?? '');
  // A zram-generator configured elsewhere than /etc (its vendor file) is shadowed by an /etc file;
  // when rpi-swap is there it is rpi-swap's own zram, which Mechanism=none already stops.
  const vendorZram = facts.swap.zram.configured && !rpiSwapInstalled && (zram?.content ?? null) === null;
  if (zramHasDevices || vendorZram) {
    changes.push({
      kind: 'file',
      description: `configure no zram swap devices in ${ZRAM_GENERATOR_CONF}`,
      path: ZRAM_GENERATOR_CONF,
      content: renderTemplate('os/zram-generator-off.conf', {}),
      before: zram?.content ?? null,
      mode: parseMode(zram?.mode) ?? 0o644,
    });
  }

  const fstab = facts.files[FSTAB];
  if (fstab?.content) {
    const edited = commentOutSwapEntries(fstab.content);
    if (edited.count > 0) {
      changes.push({
        kind: 'file',
        description: `comment out ${edited.count} swap entr${edited.count === 1 ? 'y' : 'ies'} in ${FSTAB}`,
        path: FSTAB,
        content: edited.text,
        before: fstab.content,
        mode: parseMode(fstab.mode) ?? 0o644,
      });
    }
  }

  if (active.length > 0) {
    changes.push({ kind: 'command', description: `turn off active swap (${active.map((s) => s.device).join(', ')})`, command: 'swapoff -a' });
  }
  return changes;
}

/** Prefixes every active fstab line whose type (third field) is swap with "# kbootstrap: ". */
export function commentOutSwapEntries(text: string): { text: string; count: number } {
  const parsed = splitLines(text);
  let count = 0;
  const lines = parsed.lines.map((line) => {
    const fields = line.trim().split(/\s+/);
    if (line.trim().startsWith('#') || fields[2] !== 'swap') return line;
    count++;
    return FSTAB_DISABLED_PREFIX + line;
  });
  return { text: count > 0 ? joinLines({ lines, trailingNewline: parsed.trailingNewline }) : text, count };
}
