import type { CommandContext, ForgetHostKeyOptions } from './options.js';
import { ExitCode, UserError } from '../errors.js';
import { forgetHostKey } from '../ssh/known-hosts.js';
import { loadOrFail } from './session.js';

/** `kbootstrap known-hosts forget NODE`: drops the node's recorded keys for its address and static IP. */
export async function forgetHostKeyAction(cmd: CommandContext, opts: ForgetHostKeyOptions): Promise<ExitCode> {
  const inv = await loadOrFail(cmd);
  const node = inv.nodes.find((n) => n.name === opts.node);
  if (!node) throw new UserError(`no node named ${opts.node} in ${inv.file}`, { hint: `nodes: ${inv.nodes.map((n) => n.name).join(', ')}` });
  const hosts = [...new Set([node.connect.host, node.target?.ip].filter((h): h is string => !!h))];
  let removed = 0;
  for (const host of hosts) removed += await forgetHostKey(node.connect.knownHosts, host, node.connect.port);
  cmd.log.emit({
    kind: 'message', level: 'info', node: node.name,
    text: removed > 0 ? `forgot ${removed} key(s) for ${hosts.join(', ')} in ${node.connect.knownHosts}; the next run records the new key` : `no key recorded for ${hosts.join(', ')} in ${node.connect.knownHosts}`,
  });
  return ExitCode.ok;
}
