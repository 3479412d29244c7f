import * as z from 'zod';
import { SecretRefSchema } from './schema-secret.js';
import {
  CertManagerAddonSchema,
  KnativeEventingAddonSchema,
  KnativeServingAddonSchema,
} from './schema-addons.js';
import { KafkaAddonSchema, OpenWhiskAddonSchema } from './schema-addons-stream.js';

/**
 * The inventory: one YAML file describing a cluster. Every key has a description (shown in the
 * README and in editors through the exported JSON Schema) and a default where one makes sense.
 * Cross-field rules (one server at least, unique IPs, ...) live in rules.ts.
 */

const IPV4_PATTERN = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LOOKS_LIKE_IPV4 = /^\d+(\.\d+){3}$/;
const DNS_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

const ipv4 = z.string().regex(IPV4_PATTERN, 'must be an IPv4 address like 192.168.2.50');

const hostname = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a valid hostname: lower-case letters, digits and "-", 1-63 characters');

/** Where to reach a node: an IPv4 address or a DNS name (a dotted quad must be a valid address). */
const address = z
  .string()
  .min(1)
  .refine((s) => (LOOKS_LIKE_IPV4.test(s) ? IPV4_PATTERN.test(s) : DNS_NAME.test(s)), {
    message: 'must be an IPv4 address like 192.168.2.50 or a DNS name like kmaster.local',
  });

export { SecretRefSchema } from './schema-secret.js';

export const SshSchema = z
  .strictObject({
    user: z.string().min(1).optional().describe('SSH login user. Default: "pi".'),
    port: z.number().int().min(1).max(65535).optional().describe('SSH port. Default: 22.'),
    privateKey: z.string().min(1).optional().describe('Path of the private key to log in with (~ is expanded; relative to the inventory).'),
    agent: z.boolean().optional().describe('Use the running ssh-agent ($SSH_AUTH_SOCK). Default: true when it is set.'),
    password: SecretRefSchema.optional().describe('Login password, from an environment variable or a file (also used for sudo).'),
    sudoPassword: SecretRefSchema.optional().describe('sudo password if different from the login password.'),
    installKey: z.string().min(1).optional().describe('Public key file to install on first contact (like ssh-copy-id); key auth from then on.'),
    knownHosts: z.string().min(1).optional().describe('known_hosts file for host-key checks. Default: ~/.config/kbootstrap/known_hosts.'),
  })
  .describe('How to log in to a node over SSH.');

export const NetworkSchema = z
  .strictObject({
    prefix: z.number().int().min(8).max(30).optional().describe('Subnet prefix length of the static IP. Default: 24.'),
    gateway: ipv4.optional().describe('Default gateway of the static IP (needed by every node with a staticIp).'),
    dns: z.array(ipv4).optional().describe('DNS servers. Default: the gateway.'),
    interface: z.string().min(1).optional().describe('Network interface to configure. Default: eth0.'),
  })
  .describe('Network settings for the static IP.');

export const BoardSchema = z
  .enum(['rpi4', 'rpi5', 'vagrant', 'generic'])
  .describe('Kind of machine: rpi4, rpi5 (boot config in cmdline.txt/config.txt), vagrant or generic.');

export const TaintSchema = z
  .string()
  .regex(/^[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/, 'must look like key=value:NoSchedule (effects: NoSchedule, PreferNoSchedule, NoExecute)');

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export const LabelsSchema = z
  .record(
    z.string().regex(LABEL_KEY, 'label keys look like name or prefix.example.com/name (63 characters at most per part)'),
    z.string().regex(LABEL_VALUE, 'label values: 63 characters at most, letters, digits, "-", "_", "." (start and end alphanumeric)'),
  )
  .describe('Kubernetes node labels. Labels kubelet refuses at registration (node-role.kubernetes.io/worker, other kubernetes.io/k8s.io keys) are set through the API; the rest also go to k3s\'s node-label, which k3s re-applies on every start.');

export const NodeSchema = z
  .strictObject({
    name: hostname.describe('Node name and the hostname it gets.'),
    role: z.enum(['server', 'agent']).default('agent').describe('k3s role: server (control plane) or agent (worker).'),
    address: address.describe('Where to reach the node now over SSH (IP or DNS name), e.g. its DHCP address.'),
    staticIp: ipv4.optional().describe('The static IPv4 address the node gets. Omit to leave its network alone.'),
    network: NetworkSchema.optional().describe('Per-node network settings; override `network` at the top.'),
    ssh: SshSchema.optional().describe('Per-node SSH settings; override `ssh` at the top key by key.'),
    board: BoardSchema.optional().describe('Board kind; default: the top-level `board`.'),
    labels: LabelsSchema.default({}),
    taints: z.array(TaintSchema).default([]).describe('Kubernetes node taints, like "dedicated=edge:NoSchedule".'),
  })
  .describe('One machine of the cluster.');

/** k3s release names: v1.31.4+k3s1, and release candidates like v1.32.0-rc1+k3s1. */
export const K3S_VERSION_PATTERN = /^v1\.\d{2,}\.\d+(-rc\d+)?\+k3s\d+$/;
/** k3s release channels (update.k3s.io): stable, latest, or a minor line like v1.34; resolved once per run. */
export const K3S_CHANNEL_PATTERN = /^(stable|latest|v1\.\d{2,})$/;
/**
 * The stable channel's release of Feb 2026 (k3s-io/k3s#13554): Kubernetes 1.34, the floor of
 * Knative Serving 1.23 and Eventing 1.22+ (knative.dev/pkg defaultMinimumVersion); Strimzi 1.x needs 1.30+.
 */
export const DEFAULT_K3S_VERSION = 'v1.34.3+k3s3';

export const K3S_COMPONENTS = ['traefik', 'servicelb', 'local-storage', 'metrics-server', 'coredns', 'runtimes'] as const;

export const K3sSchema = z
  .strictObject({
    version: z
      .string()
      .default(DEFAULT_K3S_VERSION)
      .describe(`k3s release to install, like ${DEFAULT_K3S_VERSION}, or a channel (stable, latest, v1.34) resolved once per run; every node gets the same.`),
    ha: z.boolean().default(false).describe('High availability with embedded etcd: needs an odd number of servers (3 is usual).'),
    disable: z
      .array(z.enum(K3S_COMPONENTS))
      .default(['traefik'])
      .describe('Packaged components to disable (traefik, servicelb, local-storage, metrics-server, coredns, runtimes). Traefik is off by default: Knative\'s Kourier wants ports 80/443.'),
    tlsSan: z.array(z.string().min(1)).default([]).describe('Extra names/IPs for the API server certificate (the static IPs and hostnames are added anyway).'),
    serverArgs: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Extra k3s server config keys (config.yaml keys = CLI flag names; `key+` appends). Checked against the pinned version\'s flags. Credentials (datastore-endpoint with a password, etcd-s3-*-key) as { env: NAME } or { file: path }.'),
    agentArgs: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Extra k3s agent config keys. A k3s agent exits on a key it does not define, so they are checked against the pinned version\'s agent flags. Secrets as { env: NAME } or { file: path }.'),
    binary: z
      .strictObject({
        source: z.enum(['workstation', 'node', 'airgap']).default('workstation').describe('workstation: download once here and upload; node: each node downloads; airgap: local files.'),
        path: z.string().optional().describe('airgap: local k3s binary.'),
        images: z.string().optional().describe('airgap: local images tarball.'),
        cacheDir: z.string().optional().describe('Where downloaded binaries are cached. Default: ~/.cache/kbootstrap.'),
      })
      .prefault({})
      .describe('Where the k3s binary comes from.'),
  })
  .prefault({})
  .describe('The k3s install.');

export const ADDON_NAMES = ['cert-manager', 'knative-serving', 'knative-eventing', 'kafka', 'openwhisk'] as const;
export type AddonName = (typeof ADDON_NAMES)[number];



export const AddonsSchema = z
  .strictObject({
    'cert-manager': CertManagerAddonSchema.optional(),
    'knative-serving': KnativeServingAddonSchema.optional(),
    'knative-eventing': KnativeEventingAddonSchema.optional(),
    kafka: KafkaAddonSchema.optional(),
    openwhisk: OpenWhiskAddonSchema.optional(),
  })
  .prefault({})
  .describe('The serverless stack: cert-manager, knative-serving, knative-eventing, kafka, openwhisk. An addon listed is installed unless `enabled: false`.');

export const KubeconfigSchema = z
  .strictObject({
    path: z.string().min(1).default('~/.kube/config').describe('Where to write the kubeconfig (~ is expanded; relative to the inventory). With merge, the file merged into.'),
    context: z.string().min(1).optional().describe('Name of the context, cluster and user. Default: the cluster name.'),
    merge: z.boolean().default(true).describe('Merge into an existing kubeconfig (timestamped backup) instead of writing a file of its own.'),
    setCurrent: z.boolean().default(false).describe('Make this the current context.'),
    server: z.string().min(1).optional().describe('API server address for the kubeconfig. Default: the first server\'s static IP.'),
  })
  .prefault({})
  .describe('The kubeconfig written for your laptop.');

export const PrepareSchema = z
  .strictObject({
    hostsFile: z.enum(['self', 'cluster']).default('self').describe('self: only the node\'s own name in /etc/hosts; cluster: also every node of the inventory (adding a node then rewrites /etc/hosts on all of them).'),
    gpuMem: z.number().int().min(16).max(944).optional().describe('gpu_mem in config.txt (Pi boards). Default: 16 (headless).'),
    swapOff: z.boolean().default(true).describe('Turn swap off and keep it off (k3s wants no swap).'),
    cgroups: z.boolean().default(true).describe('Enable the memory cgroup in cmdline.txt (Pi boards).'),
    concurrency: z.number().int().min(1).max(64).default(10).describe('How many nodes are worked on at once.'),
    rebootTimeout: z.number().int().min(10).max(3600).default(300).describe('Seconds to wait for a node to come back after a reboot.'),
  })
  .prefault({})
  .describe('Node preparation.');

export const ClusterSchema = z
  .strictObject({
    name: hostname.describe('Cluster name; also the default kubeconfig context.'),
    domain: z.string().regex(DNS_NAME, 'must be a DNS domain like home.arpa').optional().describe('DNS domain of the nodes, added to /etc/hosts entries.'),
  })
  .describe('The cluster.');

/** Vagrant only: what vagrant/Vagrantfile makes of this inventory. kbootstrap itself does not read it. */
const vagrantMachine = (cpus: number, memory: number, role: string) =>
  z
    .strictObject({
      cpus: z.number().int().min(1).max(64).default(cpus).describe(`Virtual CPUs of each ${role}. Default: ${cpus}.`),
      memory: z.number().int().min(512).max(262144).default(memory).describe(`Memory of each ${role} in MiB. Default: ${memory}.`),
    })
    .prefault({})
    .describe(`Size of each ${role} VM.`);

export const VAGRANT_DEFAULT_BOX = 'debian/bookworm64';

export const VagrantSchema = z
  .strictObject({
    boxes: z
      .strictObject({
        libvirt: z.string().min(1).default(VAGRANT_DEFAULT_BOX).describe(`Box for the libvirt provider. Default: ${VAGRANT_DEFAULT_BOX}.`),
        virtualbox: z.string().min(1).default(VAGRANT_DEFAULT_BOX).describe(`Box for the VirtualBox provider. Default: ${VAGRANT_DEFAULT_BOX}.`),
      })
      .prefault({})
      .describe('Vagrant box per provider (a Debian or Ubuntu box).'),
    server: vagrantMachine(2, 2048, 'server'),
    agent: vagrantMachine(2, 1536, 'agent'),
  })
  .describe('Vagrant VMs made from this inventory by vagrant/Vagrantfile: box per provider, CPUs and memory per role. Read by the Vagrantfile only.');

export const InventorySchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema for editors.'),
    cluster: ClusterSchema,
    board: BoardSchema.default('rpi4').describe('Default board kind of the nodes.'),
    ssh: SshSchema.prefault({}).describe('SSH defaults for every node.'),
    network: NetworkSchema.prefault({}).describe('Network defaults for every node.'),
    nodes: z.array(NodeSchema).min(1, 'needs at least one node').describe('The machines.'),
    k3s: K3sSchema,
    addons: AddonsSchema,
    kubeconfig: KubeconfigSchema,
    prepare: PrepareSchema,
    vagrant: VagrantSchema.optional(),
  })
  .describe('A kbootstrap inventory: the cluster, its nodes, k3s and addons.');

export type Inventory = z.output<typeof InventorySchema>;
export type InventoryInput = z.input<typeof InventorySchema>;
export type NodeEntry = z.output<typeof NodeSchema>;
export type SecretRef = z.output<typeof SecretRefSchema>;
export type Board = z.output<typeof BoardSchema>;
