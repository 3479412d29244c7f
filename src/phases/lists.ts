import { addonsPhase } from './addons.js';
import { addonsPreflightPhase } from './addons-preflight.js';
import { addonsStatusPhase } from './addons-status.js';
import { confirmPhase, noticePhase, previewPhase } from './confirm.js';
import { connectPhase, disconnectPhase, installKeyPhase } from './connect.js';
import { factsPhase } from './facts.js';
import { k3sBinaryPhase } from './k3s-binary.js';
import { k3sServersPhase } from './k3s-servers.js';
import { k3sAgentsRollingPhase } from './k3s-rolling.js';
import { k3sVersionPhase } from './k3s-version.js';
import { clusterReadyPhase } from './k3s-ready.js';
import { kubeconfigPhase, type KubeconfigTarget } from './kubeconfig.js';
import type { Phase } from './manager.js';
import { prepareOsPhase } from './prepare-os.js';
import { rebootPhase } from './reboot.js';
import { firstServerNeededPhase, leaveClusterPhase, resetAgentsPhase, resetServersPhase, uninstallNodePhase } from './reset.js';
import { statusReportPhase } from './status.js';
import { validatePhase } from './validate.js';
import { verifyPhase } from './verify.js';

/*
 * Every command's phases, in the order they run: reading this file tells what a command does. The
 * actions (src/actions) only load the inventory, build the run context and run the list given here.
 * `addons list`, `validate`, `schema` and `known-hosts forget` touch no node and have no list.
 */

/** init's and plan's discovery: connect, gather facts, validate the fleet (reads only). */
export const discoverPhases: Phase[] = [connectPhase, factsPhase, validatePhase];

export function preparePhases(): Phase[] {
  return [prepareOsPhase, rebootPhase, verifyPhase];
}

export function clusterPhases(): Phase[] {
  return [k3sVersionPhase, k3sBinaryPhase, k3sServersPhase, k3sAgentsRollingPhase, clusterReadyPhase, kubeconfigPhase()];
}

/** Addons go after the kubeconfig, so a failed addon (exit 3) still leaves the cluster usable from the laptop. */
export function initPhases(opts: { skipPrepare?: boolean; skipAddons?: boolean } = {}): Phase[] {
  // The addons' checks (arm64 images among them) come before the first change on any node.
  const addons = opts.skipAddons ? [] : [addonsPreflightPhase];
  return [...addons, installKeyPhase, ...(opts.skipPrepare ? [] : preparePhases()), ...clusterPhases(), ...(opts.skipAddons ? [] : [addonsPhase]), disconnectPhase];
}

/**
 * One command, start to end, as the action runs it (actions/session.ts runCommand): `before` runs
 * without the cluster's run lock and reads only (or asks); when every node failed there, the run ends.
 * `locked` runs holding the lock (taken on the first server; under --dry-run none is taken); `after`
 * runs once it is released. A no at a confirmation ends the run there, with nothing changed (exit 0).
 */
export interface CommandPhases {
  before: Phase[];
  locked: Phase[];
  after: Phase[];
}

/**
 * `init`: discover (connect, facts, validate), then under the lock: preview every change below and ask
 * (not with --yes or --dry-run), then the SSH key, the preparation, k3s, the kubeconfig and the addons.
 */
export function initCommandPhases(opts: { skipPrepare?: boolean; skipAddons?: boolean } = {}): CommandPhases {
  const work = initPhases(opts).filter((p) => p !== disconnectPhase);
  return {
    before: discoverPhases,
    locked: [previewPhase(work), ...work],
    after: [disconnectPhase, noticePhase((ctx) => (!ctx.dryRun && ctx.shared.kubeconfigPath ? `next: kubectl --kubeconfig ${ctx.shared.kubeconfigPath} get nodes` : undefined))],
  };
}

/** `plan`: init's phases under --dry-run (no preview, no lock), so it prints exactly what init would change. */
export function planCommandPhases(): CommandPhases {
  return { before: discoverPhases, locked: initPhases().filter((p) => p !== disconnectPhase), after: [disconnectPhase] };
}

/** `reset`: ask, connect and read facts, then uninstall k3s and restore every file kbootstrap changed: agents first, then servers. */
export function resetCommandPhases(cluster: { name: string; nodes: number }): CommandPhases {
  const summary = `This uninstalls k3s from ${cluster.nodes} node(s) of ${cluster.name} and restores the files kbootstrap changed. The cluster's data is lost.`;
  return {
    before: [confirmPhase(`Reset cluster ${cluster.name}?`, () => summary), connectPhase, factsPhase],
    locked: [resetAgentsPhase, resetServersPhase],
    after: [noticePhase(() => 'restored network and boot files take effect at the next reboot of each node'), disconnectPhase],
  };
}

/**
 * `remove-node NAME`: ask, connect to the first server and the node, then drain it (unless --no-drain),
 * delete it from the cluster, uninstall k3s on it and restore its files.
 */
export function removeNodeCommandPhases(node: { name: string; drain: boolean; cluster: string }): CommandPhases {
  return {
    before: [confirmPhase(`Remove ${node.name} from ${node.cluster}?`), connectPhase, factsPhase, firstServerNeededPhase],
    locked: [leaveClusterPhase(node.name, { drain: node.drain }), uninstallNodePhase(node.name)],
    after: [disconnectPhase],
  };
}

/** `status` (reads only, no lock): connect and read facts on every node, then one table with the cluster's view. */
export const statusPhases: Phase[] = [connectPhase, factsPhase, statusReportPhase, disconnectPhase];

/** `kubeconfig` (no lock): connect to the first server, read k3s.yaml there and write or merge it on this workstation. */
export function kubeconfigCommandPhases(target: Partial<KubeconfigTarget>): Phase[] {
  return [connectPhase, firstServerNeededPhase, kubeconfigPhase(target)];
}

/** `addons status` (reads only, no lock): connect to the first server and ask it about every addon, in one round trip. */
export const addonsStatusPhases: Phase[] = [connectPhase, addonsStatusPhase, disconnectPhase];
