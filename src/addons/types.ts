import type { AddonName, Inventory } from '../inventory/schema.js';

/**
 * The contract every addon module fulfils: a pure function of (inventory settings, cluster facts) →
 * the files it writes into the first server's manifests dir, the `k3s kubectl` steps after them,
 * the images it will pull, what proves it ready, and what it asks of the nodes. The addon phase runs
 * them in dependency order through the one `change()` path, so `plan` shows exactly this.
 */

/** What an addon may know about the cluster it is rendered for. */
export interface AddonClusterFacts {
  /** Architectures of every node ("arm64", "amd64"), deduplicated. */
  architectures: string[];
  /** The first server's static IP (or address when none). */
  serverIp: string;
  /** The k3s version being installed (e.g. "v1.34.2+k3s1"). */
  k3sVersion: string;
  /** Node names with their role and memory, for sizing and scheduling. */
  nodes: { name: string; role: 'server' | 'agent'; memoryMiB: number; labels: Record<string, string> }[];
  /** k3s's data dir on the first server (manifests live in <dataDir>/server/manifests). */
  dataDir: string;
}

export interface AddonInput {
  /** The whole inventory's addons section (an addon may read its neighbours' settings). */
  addons: Inventory['addons'];
  cluster: AddonClusterFacts;
  /**
   * Secret values the phase read for this run (from the env/file references in the inventory), by
   * setting path ("cert-manager.cloudflareApiToken"). Absent under `plan` when not readable: render
   * then writes a placeholder and marks the step secret.
   */
  secrets?: Record<string, string>;
  /** Local files the inventory names (a chart .tgz for air-gapped sites), base64, by setting path ("cert-manager.chartFile"). */
  files?: Record<string, string>;
}

/** A file the deploy or helm controller applies: <dataDir>/server/manifests/<fileName>. */
export interface AddonManifest {
  /**
   * File name only; k3s names the Addon object after it up to the first dot, so keep dots out of the
   * stem. Name every file `<addon>.yaml` or `<addon>-<part>.yaml`: the engine knows its files by that.
   */
  fileName: string;
  content: string;
  /** Holds a secret value (API token, password): never shown in a diff or log. */
  secret?: boolean;
  /** Checks that must pass after this file is applied before the next file of the addon is written (CRDs before cores). */
  waitAfter?: ReadinessCheck[];
}

/** A release asset fetched once on the workstation, checked against sha256, cached, uploaded. */
export interface AddonAsset {
  /** File name on the first server's manifests dir. */
  fileName: string;
  url: string;
  /** The sha256 kbootstrap records (or the inventory pins); "" when none is known: the engine then refuses the file. */
  sha256: string;
  /** Checks that must pass after this file is applied before the next file of the addon is written. */
  waitAfter?: ReadinessCheck[];
}

/** A `k3s kubectl` step run on the first server after the files are applied and the addon is ready. */
export interface AddonStep {
  description: string;
  /** Arguments after `k3s kubectl`, shell-quoted by the runner. */
  args: string[];
  /** YAML on stdin (e.g. for `apply -f -`). */
  stdin?: string;
  secret?: boolean;
  /**
   * What shows the step is already done: `k3s kubectl get <resource> [-n namespace] <name> -o
   * jsonpath=<jsonpath>` printing `want`. The engine asks every probe in one round trip and skips the
   * steps already done, so a re-run changes nothing.
   */
  probe?: { resource: string; namespace?: string; name: string; jsonpath: string; want: string };
}

/** Something the cluster must show before the addon counts as installed. */
export type ReadinessCheck =
  | { kind: 'helmchart'; namespace: string; name: string }
  | { kind: 'deployment'; namespace: string; name: string }
  | { kind: 'crd'; name: string }
  | { kind: 'webhook'; namespace: string; service: string }
  | { kind: 'condition'; resource: string; namespace: string; name: string; condition: string }
  | { kind: 'job'; namespace: string; name: string }
  /** k3s's deploy controller applied this content of the file (Addon <stem> in kube-system has its sha256); the engine adds these itself. */
  | { kind: 'applied'; fileName: string; sha256: string };

/** An image the addon will pull, with the inventory key that overrides it. */
export interface AddonImage {
  /** Full reference: registry/repository:tag or @sha256:digest. */
  ref: string;
  /** e.g. "addons.openwhisk.images.controller", for the refusal message. */
  overrideKey: string;
  /** Component name for tables ("controller", "queue-proxy"). */
  component: string;
}

/** Resource requests the addon adds, per placement, for the fit warning. */
export interface AddonFootprint {
  /** Requested memory in MiB on the node(s) it lands on. */
  memoryMiB: number;
  /** Millicores requested. */
  cpuMilli: number;
  /** Where it runs: on any one node, on each of N nodes, etc. */
  replicas: number;
}

export interface AddonRender {
  name: AddonName;
  version: string;
  manifests: AddonManifest[];
  assets: AddonAsset[];
  steps: AddonStep[];
  readiness: ReadinessCheck[];
  images: AddonImage[];
  footprint: AddonFootprint[];
  /** Lines to print at the end (e.g. the `wsk property set` hint); may be filled after install. */
  notes: string[];
  /**
   * Notes that need an answer from the cluster (a key it generated): read with `k3s kubectl <args>` once
   * the addon is ready, never a change, and printed only in the note `note(output)` builds.
   */
  noteQueries?: AddonNoteQuery[];
}

export interface AddonNoteQuery {
  description: string;
  /** Arguments after `k3s kubectl` (a read: get). */
  args: string[];
  note(output: string): string;
}

export interface AddonModule {
  name: AddonName;
  /** Other addons this one needs installed (and ready) first, for this input. */
  needs(input: AddonInput): AddonName[];
  /** The version used when the inventory pins none; the tests use it. */
  defaultVersion: string;
  /** Minimum Kubernetes minor version ("1.34") this addon's default version accepts. */
  minKubernetes?: string;
  render(input: AddonInput): AddonRender;
}
