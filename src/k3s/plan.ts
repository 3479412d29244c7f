import { basename } from 'node:path';
import { UserError } from '../errors.js';
import type { NodeFacts } from '../facts/types.js';
import type { ResolvedInventory, ResolvedNode } from '../inventory/resolved.js';
import type { NodeChange, NodeChangeSet } from '../change/types.js';
import { K3S_CONFIG_PATH, K3S_REGISTRATION_CONFIG_PATH, buildK3sConfig, buildK3sRegistrationConfig, configHoldsSecret, type K3sJoin } from './config.js';
import { buildNodeDownloadCommand } from './node-binary.js';
import { k3sArchOf } from './release.js';
import { K3S_KILLALL_PATH, buildKillallScript, buildUninstallScript, uninstallScriptPath } from './uninstall.js';
import { K3S_BINARY_PATH, K3S_SYMLINKS, buildK3sServiceFiles, sha256Hex, unitSha256 } from './units.js';

export const K3S_IMAGES_DIR = '/var/lib/rancher/k3s/agent/images';

export interface K3sInstallInputs extends K3sJoin {
  /** The verified binary on the workstation (binary.source workstation or airgap). Absent with source node. */
  binary?: { path: string; sha256: string };
  /** Airgap images tarball on the workstation. */
  images?: { path: string; sha256: string };
  /** The release version when k3s.version is a channel name (resolved once per run). */
  version?: string;
}

export type K3sInstallAction = 'install' | 'upgrade' | 'reconfigure' | 'start' | 'unchanged';

export interface K3sInstallPlan extends NodeChangeSet {
  /** k3s was running and gets restarted (agents: drain first when upgrading). */
  restartNeeded: boolean;
  /** install: not there; upgrade: other binary; reconfigure: config, unit or scripts differ; start: all in place but the service is not active; unchanged: zero changes. */
  action: K3sInstallAction;
  /** Which parts differ, for the plan and for tests. */
  differs: { binary: boolean; config: boolean; unit: boolean };
}

/** "k3s version v1.31.4+k3s1 (abc)" or "v1.31.4+k3s1" → "v1.31.4+k3s1". */
export function normalizeK3sVersion(text: string | undefined): string | undefined {
  return text ? /v\d+\.\d+\.\d+\+k3s\d+/.exec(text)?.[0] : undefined;
}

/**
 * What to change on a node so it runs the desired k3s: compares the desired config.yaml, unit and
 * binary with the node's facts (sha256 sums and version) and plans only what differs. A node that
 * already matches gets zero changes, which is how a re-run leaves it alone.
 */
export function planK3sInstall(node: ResolvedNode, facts: NodeFacts, inv: ResolvedInventory, inputs: K3sInstallInputs): K3sInstallPlan {
  const k3s = facts.k3s;
  if (k3s.installed && k3s.role && k3s.role !== node.role) {
    throw new UserError(`${node.name} runs a k3s ${k3s.role}, but the inventory makes it a ${node.role}`, {
      where: { node: node.name },
      hint: `run \`kbootstrap remove-node ${node.name}\` first, then re-run to join it as a ${node.role}`,
    });
  }
  const version = inputs.version ?? inv.k3s.version;
  const config = buildK3sConfig(node, inv, inputs);
  const service = buildK3sServiceFiles(node.role);

  const differs = {
    binary: !k3s.installed || binaryDiffers(k3s, version, inputs.binary),
    config: sha256Hex(config) !== k3s.configSha256,
    unit: unitSha256(service) !== k3s.unitSha256,
  };
  const changes: NodeChange[] = [];

  if (differs.binary) changes.push(...binaryChanges(facts, inv, version, inputs));
  changes.push(...scriptChanges(node, facts, differs.binary || differs.unit));
  if (differs.config) {
    const secret = configHoldsSecret(node, inv, inputs);
    changes.push({
      kind: 'file',
      description: `write ${K3S_CONFIG_PATH} (k3s ${node.role} settings${secret ? ', secrets not shown' : ''}; mode 0600)`,
      path: K3S_CONFIG_PATH,
      content: config,
      before: null,
      mode: 0o600,
      secret,
    });
  }
  changes.push(...registrationChanges(node, facts));
  if (differs.unit) {
    changes.push(fileChange(facts, service.unitPath, service.unit, 0o644, `write ${service.unitPath}`));
    changes.push(fileChange(facts, service.envPath, service.env, 0o600, `write ${service.envPath}`));
    changes.push({ kind: 'command', description: 'systemctl daemon-reload', command: 'systemctl daemon-reload' });
  }

  const anyChange = differs.binary || differs.config || differs.unit;
  const running = k3s.installed && k3s.serviceActive;
  const restartNeeded = running && anyChange;
  if (restartNeeded) {
    changes.push({ kind: 'command', description: `restart ${service.service}`, command: `systemctl restart --no-block ${service.service}` });
  } else if (!running) {
    changes.push({
      kind: 'command',
      description: `enable and start ${service.service}`,
      command: `systemctl enable ${service.service} && systemctl start --no-block ${service.service}`,
    });
  }

  const action: K3sInstallAction = !k3s.installed
    ? 'install'
    : differs.binary
      ? 'upgrade'
      : differs.config || differs.unit
        ? 'reconfigure'
        : !running
          ? 'start'
          : changes.length > 0
            ? 'reconfigure'
            : 'unchanged';
  return { changes, rebootRequired: false, rebootReasons: [], restartNeeded, action, differs };
}

function binaryDiffers(k3s: NodeFacts['k3s'], version: string, binary: K3sInstallInputs['binary']): boolean {
  if (binary && k3s.binarySha256) return binary.sha256 !== k3s.binarySha256;
  return normalizeK3sVersion(k3s.version) !== version;
}

function binaryChanges(facts: NodeFacts, inv: ResolvedInventory, version: string, inputs: K3sInstallInputs): NodeChange[] {
  const changes: NodeChange[] = [];
  if (inv.k3s.binary.source === 'node') {
    changes.push({
      kind: 'command',
      description: `download k3s ${version} on the node and check its sha256`,
      command: buildNodeDownloadCommand(version, k3sArchOf(facts.arch)),
    });
  } else {
    changes.push({
      kind: 'upload',
      description: `upload k3s ${version} to ${K3S_BINARY_PATH}`,
      // Under --dry-run before the download the path is not known yet; the change is only printed then.
      localPath: inputs.binary?.path ?? `(k3s ${version} for ${facts.arch}, downloaded before the upload)`,
      remotePath: K3S_BINARY_PATH,
      mode: 0o755,
      sha256: inputs.binary?.sha256 ?? '',
    });
    if (inputs.images) {
      changes.push({
        kind: 'upload',
        description: `upload the air-gap images to ${K3S_IMAGES_DIR}`,
        localPath: inputs.images.path,
        remotePath: `${K3S_IMAGES_DIR}/${basename(inputs.images.path)}`,
        mode: 0o644,
        sha256: inputs.images.sha256,
      });
    }
  }
  changes.push({ kind: 'command', description: `link ${K3S_SYMLINKS.join(', ')} to k3s in /usr/local/bin`, command: buildSymlinkCommand() });
  return changes;
}

/** Symlinks kubectl/crictl/ctr → k3s, leaving a real file of that name alone (the install script does the same). */
export function buildSymlinkCommand(): string {
  return K3S_SYMLINKS.map((name) => {
    const link = `/usr/local/bin/${name}`;
    return `{ [ -e ${link} ] && [ ! -L ${link} ] || ln -sfn ${K3S_BINARY_PATH} ${link}; }`;
  }).join(' && ');
}

/**
 * The uninstall scripts: compared with their content when the facts carry it (facts.files), else
 * written along with a new binary or unit.
 */
function scriptChanges(node: ResolvedNode, facts: NodeFacts, installing: boolean): NodeChange[] {
  const uninstall = uninstallScriptPath(node.role);
  const scripts: [string, string, string][] = [
    [K3S_KILLALL_PATH, buildKillallScript(), `write ${K3S_KILLALL_PATH}`],
    [uninstall, buildUninstallScript(node.role), `write ${uninstall} (used by reset and remove-node)`],
  ];
  return scripts
    .filter(([path, content]) => (path in facts.files ? facts.files[path]!.content !== content : installing))
    .map(([path, content, description]) => fileChange(facts, path, content, 0o755, description));
}

/**
 * The registration drop-in follows the inventory on every run (k3s re-applies node-label at each
 * start, so a stale file would flip changed labels back). It is not a reason to restart k3s: kubectl
 * sets the labels now. Compared with its content in the facts; without that fact (old facts) it is
 * written at install only.
 */
function registrationChanges(node: ResolvedNode, facts: NodeFacts): NodeChange[] {
  const desired = buildK3sRegistrationConfig(node);
  const fact = facts.files[K3S_REGISTRATION_CONFIG_PATH];
  const current = fact ? fact.content : undefined;
  if (current === undefined && facts.k3s.installed) return [];
  if ((current ?? null) === desired) return [];
  if (desired === null) {
    return [{ kind: 'command', description: `remove ${K3S_REGISTRATION_CONFIG_PATH} (no labels or taints left)`, command: `rm -f ${K3S_REGISTRATION_CONFIG_PATH}` }];
  }
  return [fileChange(facts, K3S_REGISTRATION_CONFIG_PATH, desired, 0o600, `write ${K3S_REGISTRATION_CONFIG_PATH} (labels k3s applies at every start, taints at registration)`)];
}

function fileChange(facts: NodeFacts, path: string, content: string, mode: number, description: string): NodeChange {
  return { kind: 'file', description, path, content, before: facts.files[path]?.content ?? null, mode };
}
