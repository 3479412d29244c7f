import { UserError } from '../errors.js';
import type { LogEvent } from '../log/events.js';
import type { InventoryInput } from '../inventory/schema.js';
import type { CommandContext } from '../actions/options.js';
import { inquirerPrompts, type WizardPrompts } from './wizard-prompts.js';

/**
 * Shows `summary` and asks before anything on the nodes changes. --yes answers yes without asking;
 * a run that cannot ask (no terminal, --json) stops with a message saying to pass --yes.
 * Returns false when the user says no.
 */
export async function confirmChanges(
  summary: string,
  ctx: CommandContext,
  deps: { prompts?: WizardPrompts; question?: string } = {},
): Promise<boolean> {
  if (summary.trim() !== '') ctx.log.emit({ kind: 'message', level: 'info', text: summary });
  if (ctx.options.yes) return true;
  if (!ctx.options.interactive) {
    throw new UserError('kbootstrap needs a yes before it changes the nodes, and cannot ask here (no terminal, or --json)', {
      hint: 'look at `kbootstrap plan` first, then run again with --yes',
    });
  }
  return (deps.prompts ?? inquirerPrompts).confirm({ message: deps.question ?? 'Apply these changes to the nodes?', default: false });
}

/** The wizard's answers as a table for a last look before the file is written. */
export function inventorySummaryTable(inv: InventoryInput): Extract<LogEvent, { kind: 'table' }> {
  const net = inv.network ?? {};
  return {
    kind: 'table',
    title: `Cluster ${inv.cluster.name}: ${inv.nodes.length} node${inv.nodes.length === 1 ? '' : 's'}`,
    columns: ['NODE', 'ROLE', 'ADDRESS NOW', 'STATIC IP'],
    rows: inv.nodes.map((n) => [n.name, n.role ?? 'agent', n.address, n.staticIp ? `${n.staticIp}/${n.network?.prefix ?? net.prefix ?? 24}` : '(unchanged)']),
  };
}

export function inventorySummaryText(inv: InventoryInput): string {
  const ssh = inv.ssh ?? {};
  const auth = ssh.privateKey
    ? `key ${ssh.privateKey}`
    : ssh.password?.env
      ? `password from $${ssh.password.env}`
      : ssh.password?.file
        ? `password from ${ssh.password.file}`
        : 'ssh-agent';
  const addons = Object.entries(inv.addons ?? {})
    .filter(([, a]) => a && a.enabled !== false)
    .map(([name]) => name);
  const net = inv.network ?? {};
  return [
    `board: ${inv.board ?? 'rpi4'}, ssh: ${ssh.user ?? 'pi'} with ${auth}`,
    net.gateway ? `network: /${net.prefix ?? 24}, gateway ${net.gateway}, DNS ${(net.dns ?? [net.gateway]).join(', ')}` : 'network: left as it is',
    `k3s: ${inv.k3s?.version ?? 'default version'}, addons: ${addons.length ? addons.join(', ') : 'none'}`,
  ].join('\n');
}
