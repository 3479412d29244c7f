import type { NodeChange } from '../change/types.js';
import type { NetworkConfigurer, StaticTarget } from './network-types.js';
import { renderTemplate } from '../templates.js';
import { findBlock, replaceBlock, splitLines, joinLines, parseMode } from './text.js';

export const DHCPCD_CONF = '/etc/dhcpcd.conf';
export const DHCPCD_BEGIN = '# BEGIN kbootstrap';
export const DHCPCD_END = '# END kbootstrap';
/** Prefix of the lines kbootstrap turned into comments (a user's own static block for the interface). */
export const DISABLED_PREFIX = '# kbootstrap: ';

export function renderDhcpcdBlock(target: StaticTarget): string[] {
  const text = renderTemplate('os/dhcpcd-block', {
    iface: target.iface,
    address: `${target.ip}/${target.prefix}`,
    gateway: target.gateway ?? '',
    dns: target.dns.join(' '),
  });
  return splitLines(text).lines;
}

/**
 * dhcpcd (Pi OS Buster/Bullseye): a managed block in /etc/dhcpcd.conf. Every line outside the block
 * is kept byte for byte, except a user's own `interface <iface>` block that sets `static` options:
 * dhcpcd would apply both blocks to the interface, so that one is commented out (each line prefixed
 * with "# kbootstrap: ", visible in the plan's diff and restorable from the backup).
 */
export const dhcpcdConfigurer: NetworkConfigurer = {
  name: 'dhcpcd.conf',
  stack: 'dhcpcd',
  usualFor: (os) => os.codename === 'bullseye' || os.codename === 'buster',
  plan(_node, target, facts) {
    const now = facts.files[DHCPCD_CONF];
    const before = now?.content ?? null;
    const { text: withoutConflicts, disabled } = disableConflictingBlocks(before ?? '', target.iface);
    const content = replaceBlock(withoutConflicts, DHCPCD_BEGIN, DHCPCD_END, renderDhcpcdBlock(target), DHCPCD_CONF);
    if (content === before) return [];
    let description = `set static IP ${target.ip}/${target.prefix} on ${target.iface} in ${DHCPCD_CONF}`;
    if (disabled > 0) description += ` (comment out the existing static "interface ${target.iface}" block: it would conflict)`;
    const change: NodeChange = { kind: 'file', description, path: DHCPCD_CONF, content, before, mode: parseMode(now?.mode) ?? 0o644 };
    return [change];
  },
};

/**
 * Comments out every `interface <iface>` block outside ours that sets a `static` option. A block runs
 * from its `interface` line to the next `interface`/`ssid` line, our block, or the end of the file.
 */
export function disableConflictingBlocks(text: string, iface: string): { text: string; disabled: number } {
  const parsed = splitLines(text);
  const lines = [...parsed.lines];
  const ours = findBlock(lines, DHCPCD_BEGIN, DHCPCD_END, DHCPCD_CONF);
  const isBlockStart = (i: number) => /^(interface|ssid)\s/.test((lines[i] ?? '').trim()) || (lines[i] ?? '').trim() === DHCPCD_BEGIN;
  let disabled = 0;
  for (let i = 0; i < lines.length; i++) {
    if (ours && i >= ours.start && i <= ours.end) continue;
    const words = (lines[i] ?? '').trim().split(/\s+/);
    if (words[0] !== 'interface' || words[1] !== iface) continue;
    let end = i + 1;
    while (end < lines.length && !isBlockStart(end)) end++;
    const body = lines.slice(i + 1, end);
    if (!body.some((l) => /^static\s/.test(l.trim()))) continue;
    for (let j = i; j < end; j++) {
      const line = lines[j] ?? '';
      if (line.trim() !== '' && !line.trim().startsWith('#')) lines[j] = DISABLED_PREFIX + line;
    }
    disabled++;
    i = end - 1;
  }
  return { text: disabled > 0 ? joinLines({ lines, trailingNewline: parsed.trailingNewline }) : text, disabled };
}
