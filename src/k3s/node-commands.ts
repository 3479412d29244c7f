import { shellQuote } from '../ssh/shell-quote.js';

/** kubectl through the k3s binary on a server, as root. */
const kubectl = 'k3s kubectl';

export function buildCordonCommand(node: string): string {
  return `${kubectl} cordon ${shellQuote(node)}`;
}

export function buildUncordonCommand(node: string): string {
  return `${kubectl} uncordon ${shellQuote(node)}`;
}

/** Evicts the node's pods (DaemonSets stay; emptyDir data is lost, as it would be anyway). */
export function buildDrainCommand(node: string, opts: { timeoutSeconds?: number; force?: boolean } = {}): string {
  const args = ['drain', shellQuote(node), '--ignore-daemonsets', '--delete-emptydir-data', `--timeout=${opts.timeoutSeconds ?? 300}s`];
  if (opts.force) args.push('--force');
  return `${kubectl} ${args.join(' ')}`;
}

/**
 * Deletes the node object. For a server with embedded etcd, k3s's etcd controller then removes its
 * member from the cluster. --ignore-not-found makes a repeated remove-node a no-op.
 */
export function buildDeleteNodeCommand(node: string): string {
  return `${kubectl} delete node ${shellQuote(node)} --ignore-not-found --wait=true`;
}
