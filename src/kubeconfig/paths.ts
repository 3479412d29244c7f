import { homedir } from 'node:os';
import { delimiter, isAbsolute, resolve } from 'node:path';
import { expandHome } from '../inventory/paths.js';

export const DEFAULT_KUBECONFIG_PATH = '~/.kube/config';

/**
 * Where the kubeconfig goes: the configured path with ~ expanded; when merging into the default
 * (~/.kube/config) and $KUBECONFIG is set, its first entry instead (what kubectl writes to as well).
 */
export function resolveKubeconfigPath(
  configured: string,
  opts: { merge: boolean; env?: NodeJS.ProcessEnv; home?: string; cwd?: string } = { merge: true },
): string {
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  let path = configured;
  if (opts.merge && configured === DEFAULT_KUBECONFIG_PATH && env.KUBECONFIG) {
    const first = env.KUBECONFIG.split(delimiter).find((p) => p.trim() !== '');
    if (first) path = first;
  }
  path = expandHome(path, home);
  return isAbsolute(path) ? path : resolve(opts.cwd ?? process.cwd(), path);
}
