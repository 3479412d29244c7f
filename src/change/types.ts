/**
 * A change that a planner wants on a node. Planners are pure (facts + inventory in, changes out);
 * the phases apply every change through RunContext.change, which under --dry-run only records it.
 */
export type NodeChange =
  | {
      kind: 'file';
      /** Human text for the plan: "set static IP 10.77.0.11/24 in /etc/NetworkManager/system-connections/eth0.nmconnection". */
      description: string;
      path: string;
      /** The new content. */
      content: string;
      /** The content now (null: the file does not exist), for the diff. */
      before: string | null;
      mode?: number;
      /** Delete the file instead of writing it. */
      remove?: boolean;
      /** The content holds a secret (e.g. a join token): never shown in a diff or log. */
      secret?: boolean;
    }
  | {
      kind: 'upload';
      description: string;
      /** A file on the workstation (e.g. the cached k3s binary). */
      localPath: string;
      remotePath: string;
      mode?: number;
      /** Expected sha256 after upload, checked on the node. */
      sha256: string;
    }
  | {
      kind: 'command';
      description: string;
      /** A shell command run as root on the node. Must be safe to run again. */
      command: string;
    };

export interface NodeChangeSet {
  changes: NodeChange[];
  /** True when any change only takes effect after a reboot (boot config, network stack). */
  rebootRequired: boolean;
  /** Why a reboot is needed, for the plan. */
  rebootReasons: string[];
}
