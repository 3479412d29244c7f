import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { expandHome } from '../inventory/paths.js';
import { CHART_FILE_KEY, CLOUDFLARE_TOKEN_SECRET_KEY } from '../addons/cert-manager.js';
import type { AddonClusterFacts, AddonInput } from '../addons/types.js';
import { readSecret } from '../inventory/secrets.js';
import { K3S_DATA_DIR } from '../k3s/uninstall.js';
import { archOf } from './k3s-install.js';
import type { NodeState, RunContext } from './context.js';

/** A local file the inventory names, base64; a missing one names the setting. */
function readLocalFile(given: string, baseDir: string, key: string): string {
  const expanded = expandHome(given);
  const path = isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
  try {
    return readFileSync(path).toString('base64');
  } catch (err) {
    throw new UserError(`${key} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      hint: 'download the chart .tgz on a machine with internet access (helm pull jetstack/cert-manager) and copy it there',
    });
  }
}

/** What the addons may know of the cluster, from the inventory and the facts gathered this run. */
export function clusterFacts(ctx: RunContext, server: NodeState): AddonClusterFacts {
  const withFacts = ctx.states.filter((s) => s.facts);
  return {
    architectures: [...new Set(withFacts.map(archOf))],
    serverIp: server.node.target?.ip ?? server.host ?? server.node.connect.host,
    k3sVersion: ctx.inventory.k3s.version,
    nodes: ctx.states.map((s) => ({ name: s.node.name, role: s.node.role, memoryMiB: s.facts?.memory.totalMb ?? 0, labels: s.node.labels })),
    dataDir: K3S_DATA_DIR,
  };
}

/**
 * The addons' input: the inventory's addons section (release mirror from KBOOTSTRAP_ADDON_MIRROR_URL
 * when set) and the secrets they need, read now and registered with the logger so no line shows them.
 * Under --dry-run an unreadable secret is left out (the plan shows the step without its content).
 */
export function addonInput(ctx: RunContext, server: NodeState, env: NodeJS.ProcessEnv = process.env): AddonInput {
  const addons = structuredClone(ctx.inventory.raw.addons);
  const mirror = env.KBOOTSTRAP_ADDON_MIRROR_URL;
  if (mirror) {
    if (addons['knative-serving']) addons['knative-serving'].mirror = mirror;
    if (addons['knative-eventing']) addons['knative-eventing'].mirror = mirror;
    if (addons.kafka) addons.kafka.mirror = mirror;
  }
  const secrets: Record<string, string> = {};
  const cm = addons['cert-manager'];
  if (cm?.enabled && cm.issuers && cm.challenge === 'dns01-cloudflare' && cm.cloudflareApiToken) {
    try {
      const token = readSecret(cm.cloudflareApiToken, dirname(ctx.inventory.file), env, { what: 'addons.cert-manager.cloudflareApiToken' });
      ctx.log.addSecret(token);
      secrets[CLOUDFLARE_TOKEN_SECRET_KEY] = token;
    } catch (err) {
      if (!ctx.dryRun) throw err;
    }
  }
  const files: Record<string, string> = {};
  if (cm?.enabled && cm.chartFile) files[CHART_FILE_KEY] = readLocalFile(cm.chartFile, dirname(ctx.inventory.file), 'addons.cert-manager.chartFile');
  return { addons, cluster: clusterFacts(ctx, server), secrets, files };
}
