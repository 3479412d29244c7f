import { isMap } from 'yaml';
import { UserError } from '../errors.js';
import { entryName, parseKubeconfig, renderKubeconfig, sectionItems, SECTIONS } from './document.js';

/** `10.0.0.11` → https://10.0.0.11:6443; `host:7443` → https://host:7443; a full URL stays as it is. */
export function apiServerUrl(server: string): string {
  if (/^https?:\/\//.test(server)) return server;
  if (/^[^:]+:\d+$/.test(server)) return `https://${server}`;
  if (server.includes(':')) return `https://[${server.replace(/^\[|\]$/g, '')}]:6443`;
  return `https://${server}:6443`;
}

/**
 * Turns the server's /etc/rancher/k3s/k3s.yaml (cluster, user and context all named "default",
 * server https://127.0.0.1:6443) into the workstation's: every entry named `context`, the server URL
 * pointing at `server`. Edits the parsed YAML, so a "default" inside certificate data or any other
 * value stays as it is.
 */
export function rewriteKubeconfig(k3sYaml: string, opts: { context: string; server: string }): string {
  const doc = parseKubeconfig(k3sYaml, 'the k3s kubeconfig (/etc/rancher/k3s/k3s.yaml)');
  for (const section of SECTIONS) {
    if (sectionItems(doc, section).length !== 1) {
      throw new UserError(`the k3s kubeconfig has ${sectionItems(doc, section).length} ${section}, expected 1`, {
        hint: 'kbootstrap reads the file k3s writes on a server; was /etc/rancher/k3s/k3s.yaml edited?',
      });
    }
  }
  const [cluster] = sectionItems(doc, 'clusters');
  const [user] = sectionItems(doc, 'users');
  const [context] = sectionItems(doc, 'contexts');
  const clusterBody = cluster!.get('cluster');
  const contextBody = context!.get('context');
  if (!isMap(clusterBody) || !isMap(contextBody)) throw new UserError('the k3s kubeconfig lacks its cluster or context settings');

  const oldCluster = entryName(cluster!);
  const oldUser = entryName(user!);
  cluster!.set('name', opts.context);
  user!.set('name', opts.context);
  context!.set('name', opts.context);
  if (contextBody.get('cluster') === oldCluster) contextBody.set('cluster', opts.context);
  if (contextBody.get('user') === oldUser) contextBody.set('user', opts.context);
  clusterBody.set('server', apiServerUrl(opts.server));
  doc.set('current-context', opts.context);
  return renderKubeconfig(doc);
}
