import { addonsPhase } from './addons.js';
import { addonsPreflightPhase } from './addons-preflight.js';
import { connectPhase, disconnectPhase, installKeyPhase } from './connect.js';
import { factsPhase } from './facts.js';
import { k3sBinaryPhase } from './k3s-binary.js';
import { k3sServersPhase } from './k3s-servers.js';
import { k3sAgentsRollingPhase } from './k3s-rolling.js';
import { k3sVersionPhase } from './k3s-version.js';
import { clusterReadyPhase } from './k3s-ready.js';
import { kubeconfigPhase } from './kubeconfig.js';
import type { Phase } from './manager.js';
import { prepareOsPhase } from './prepare-os.js';
import { rebootPhase } from './reboot.js';
import { validatePhase } from './validate.js';
import { verifyPhase } from './verify.js';

/** The actions as plain lists of phases; `plan` is the same list run with dryRun. */
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
