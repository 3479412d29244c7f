import type { NodeFacts } from '../facts/types.js';
import type { NodeChange } from '../change/types.js';

/** cloud-init's own switch: while this file exists its systemd generator starts none of its stages. */
export const CLOUD_INIT_DISABLED = '/etc/cloud/cloud-init.disabled';

const CONTENT = `# Written by kbootstrap. cloud-init read its NoCloud seed on the boot partition (user-data,
# network-config) at every boot, and the user-data Raspberry Pi Imager writes says
# "manage_etc_hosts: true": /etc/hosts (and the hostname and network it set at first boot) would be
# rewritten, undoing what kbootstrap set. The first boot's work (user, SSH keys) is kept.
# Delete this file (or run \`kbootstrap reset\`) to let cloud-init run at boot again.
`;

/**
 * The NoCloud seed cloud-init acts on at boot, on the boot partition: the user-data file, else any
 * seed file found (meta-data, network-config). Undefined when cloud-init is absent or switched off.
 */
export function activeCloudInitSeed(facts: NodeFacts): string | undefined {
  const ci = facts.cloudInit;
  if (!ci || ci.disabled || ci.bootSeed.length === 0) return undefined;
  return ci.bootSeed.find((p) => p.endsWith('/user-data')) ?? ci.bootSeed[0];
}

/**
 * Pi OS Trixie (and Ubuntu for Pi) run cloud-init from a seed on the boot partition. Its settings
 * there win over /etc/cloud/cloud.cfg.d (cloud-init merges a node's user-data over the system
 * config, cloudinit/helpers.py ConfigMerger), so a drop-in saying `manage_etc_hosts: false` cannot
 * beat the Imager's `manage_etc_hosts: true`: /etc/hosts would be rendered from cloud-init's template
 * at every boot. kbootstrap owns the hostname, /etc/hosts and the static IP from here on, so it
 * switches cloud-init off for the boots that follow, the way cloud-init documents; the seed on the
 * boot partition is left as the user wrote it.
 */
export function planCloudInit(facts: NodeFacts): NodeChange[] {
  const seed = activeCloudInitSeed(facts);
  if (!seed) return [];
  return [
    {
      kind: 'file',
      description: `switch cloud-init off at boot (${CLOUD_INIT_DISABLED}): it applies ${seed} at every boot and would rewrite /etc/hosts`,
      path: CLOUD_INIT_DISABLED,
      content: CONTENT,
      before: null,
      mode: 0o644,
    },
  ];
}
