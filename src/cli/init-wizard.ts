import { ADDON_NAMES, K3sSchema, type AddonName, type Board, type InventoryInput } from '../inventory/schema.js';
import { subnetOf } from '../inventory/ipv4.js';
import { BOARD_ARCH, BOARD_MEMORY_GB, whyNotOffered } from './wizard-addons.js';
import { inquirerPrompts, type WizardPrompts } from './wizard-prompts.js';
import { isGatewayAddress, type NetworkProposal } from './workstation-network.js';
import {
  isAddress,
  isEnvName,
  isIpList,
  isIpv4,
  isK3sVersion,
  isNonEmpty,
  isStaticIp,
  isUniqueHostname,
  isHostname,
  parseIpList,
} from './wizard-validators.js';

type NodeInput = InventoryInput['nodes'][number];
type SshInput = NonNullable<InventoryInput['ssh']>;
type NetworkInput = NonNullable<InventoryInput['network']>;

export interface WizardDeps {
  prompts?: WizardPrompts;
  /** Read only: whether a password variable is set already (default process.env). */
  env?: Record<string, string | undefined>;
  /** Called with a password typed at the prompt, so the logger masks it. */
  addSecret?: (secret: string) => void;
  /** Receives a password typed at the prompt, for this run only: the caller hands it to the run as a value. */
  typedSecret?: (variable: string, value: string) => void;
  /** Called each time the answers so far could make an inventory, so none is lost (the caller writes it when valid). */
  onDraft?: (draft: InventoryInput) => Promise<void>;
  /** The network this workstation is on: its gateway, prefix and DNS are proposed for the nodes. */
  network?: NetworkProposal;
  /** Lines of advice shown between questions (default: nowhere). */
  say?: (text: string) => void;
}

/** The variable a password typed at the prompt is referenced by in the file; the value itself is never written. */
export const TYPED_PASSWORD_ENV = 'KBOOTSTRAP_SSH_PASSWORD';

type AuthKind = 'key' | 'agent' | 'password-env' | 'password-file' | 'password-typed';

/**
 * Asks for everything an inventory needs, pre-filled from `partial` (an incomplete file) and from the
 * workstation's network. Every answer is checked as it is typed with the inventory schema's own rules.
 * Keys the wizard does not ask about (labels, k3s args, kubeconfig, prepare) are kept from `partial`.
 * After the nodes, after SSH and after k3s the answers so far go to `onDraft`.
 */
export async function runInitWizard(partial: Partial<InventoryInput> = {}, deps: WizardDeps = {}): Promise<InventoryInput> {
  const p = deps.prompts ?? inquirerPrompts;
  const say = deps.say ?? (() => undefined);
  const draft = async (d: InventoryInput) => deps.onDraft?.(d);

  const clusterName = await p.input({ message: 'Cluster name', default: partial.cluster?.name ?? 'pi-cluster', validate: isHostname });
  const board = await p.select<Board>({
    message: 'What are the nodes?',
    default: partial.board ?? 'rpi4',
    choices: [
      { name: 'Raspberry Pi 4', value: 'rpi4' },
      { name: 'Raspberry Pi 5', value: 'rpi5' },
      { name: 'Vagrant VMs', value: 'vagrant' },
      { name: 'Other Linux machines', value: 'generic' },
    ],
  });

  const network = await askNetwork(p, partial.network ?? {}, deps.network, say);
  const gateway = network.gateway ?? deps.network?.gateway;
  const count = await p.number({ message: 'How many nodes?', default: partial.nodes?.length || 4, min: 1, max: 64, required: true });
  const nodes: NodeInput[] = [];
  for (let i = 0; i < (count ?? 1); i++) nodes.push(await askNode(p, i, partial.nodes?.[i], nodes, network, gateway, say));
  let answers: InventoryInput = { ...partial, cluster: { ...partial.cluster, name: clusterName.trim() }, board, network, nodes };
  await draft(answers);

  answers = { ...answers, ssh: await askSsh(p, partial.ssh ?? {}, deps, say) };
  await draft(answers);

  const version = await p.input({ message: 'k3s version (a release, or a channel: stable, latest)', default: partial.k3s?.version ?? K3sSchema.parse(undefined).version, validate: isK3sVersion });
  answers = { ...answers, k3s: { ...partial.k3s, version: version.trim() } };
  await draft(answers);

  return { ...answers, addons: await askAddons(p, partial.addons ?? {}, board, nodes, say) };
}

async function askNetwork(p: WizardPrompts, given: NetworkInput, here: NetworkProposal | undefined, say: (t: string) => void): Promise<NetworkInput> {
  if (here && given.gateway === undefined) {
    say(`this machine is on ${subnetOf(here.gateway, here.prefix).network}/${here.prefix} (${here.interface}) with gateway ${here.gateway} and DNS ${here.dns.join(', ')}: proposed for the nodes`);
  }
  const wantStatic = await p.confirm({ message: 'Give the nodes static IP addresses?', default: true });
  if (!wantStatic) return given;
  const gateway = (await p.input({ message: 'Gateway (your router)', default: given.gateway ?? here?.gateway, validate: isIpv4 })).trim();
  const sameAsHere = here?.gateway === gateway;
  const prefix = await p.number({ message: 'Subnet prefix length (24 = 255.255.255.0)', default: given.prefix ?? (sameAsHere ? here.prefix : 24), min: 8, max: 30, required: true });
  const dnsDefault = given.dns ?? (sameAsHere ? here.dns : [gateway]);
  const dns = parseIpList(await p.input({ message: 'DNS servers (comma-separated)', default: dnsDefault.join(', '), validate: isIpList }));
  return { ...given, gateway, prefix: prefix ?? 24, dns };
}

async function askNode(
  p: WizardPrompts,
  i: number,
  given: NodeInput | undefined,
  earlier: NodeInput[],
  network: NetworkInput,
  gateway: string | undefined,
  say: (t: string) => void,
): Promise<NodeInput> {
  const label = `Node ${i + 1}`;
  const names = earlier.map((n) => n.name);
  const name = (await p.input({ message: `${label}: name (also its hostname)`, default: given?.name ?? (i === 0 ? 'kmaster' : `knode${i}`), validate: isUniqueHostname(names) })).trim();
  let address = '';
  for (;;) {
    address = (await p.input({ message: `${name}: address it answers on now (IP or DNS name)`, default: given?.address, validate: isAddress })).trim();
    if (!isGatewayAddress(address, gateway)) break;
    say(`warning: ${address} is the gateway (your router), not a node; the node's address is the one it has now (see the router's list of DHCP leases)`);
    if (await p.confirm({ message: `Use ${address} for ${name} anyway?`, default: false })) break;
  }
  let staticIp: string | undefined;
  if (network.gateway) {
    const taken = earlier.map((n) => n.staticIp).filter((ip): ip is string => ip !== undefined);
    staticIp = (
      await p.input({
        message: `${name}: static IP`,
        default: given?.staticIp ?? suggestIp(network.gateway, taken, i),
        validate: isStaticIp({ gateway: network.gateway, prefix: network.prefix ?? 24 }, taken),
      })
    ).trim();
  }
  const role = await p.select<'server' | 'agent'>({
    message: `${name}: role`,
    default: given?.role ?? (i === 0 ? 'server' : 'agent'),
    choices: [
      { name: 'server (control plane)', value: 'server' },
      { name: 'agent (worker)', value: 'agent' },
    ],
  });
  return { ...given, name, address, ...(staticIp ? { staticIp } : {}), role };
}

/** 192.168.2.1 → 192.168.2.50, .51, ... skipping taken ones: the usual Pi-cluster numbering. */
function suggestIp(gateway: string, taken: string[], i: number): string | undefined {
  const parts = gateway.split('.');
  if (parts.length !== 4) return undefined;
  for (let host = 50 + i; host < 255; host++) {
    const ip = [...parts.slice(0, 3), String(host)].join('.');
    if (ip !== gateway && !taken.includes(ip)) return ip;
  }
  return undefined;
}

async function askSsh(p: WizardPrompts, given: SshInput, deps: WizardDeps, say: (t: string) => void): Promise<SshInput> {
  const user = (await p.input({ message: 'SSH user', default: given.user ?? 'pi', validate: isNonEmpty('the login user') })).trim();
  const auth = await p.select<AuthKind>({
    message: 'How does kbootstrap log in?',
    default: given.privateKey ? 'key' : given.password?.file ? 'password-file' : given.password?.env ? 'password-env' : 'key',
    choices: [
      { name: 'a private key file', value: 'key' },
      { name: 'the running ssh-agent', value: 'agent' },
      { name: 'a password from an environment variable', value: 'password-env' },
      { name: 'a password from a file (mode 0600)', value: 'password-file' },
      { name: 'a password I type now (used for this run only, not saved)', value: 'password-typed' },
    ],
  });
  // Only where a password comes from is kept, never the password itself.
  const { privateKey: _k, password: _p, agent: _a, ...rest } = given;
  const base: SshInput = { ...rest, user };
  switch (auth) {
    case 'key':
      return { ...base, privateKey: (await p.input({ message: 'Private key file', default: given.privateKey ?? '~/.ssh/id_ed25519', validate: isNonEmpty('a key file') })).trim() };
    case 'agent':
      return { ...base, agent: true };
    case 'password-env': {
      const env = (await p.input({ message: 'Environment variable holding the password', default: given.password?.env ?? 'KBOOTSTRAP_PI_PASSWORD', validate: isEnvName })).trim();
      if ((deps.env ?? process.env)[env] === undefined) say(`remember: export ${env}=... before running kbootstrap`);
      return { ...base, password: { env } };
    }
    case 'password-file':
      return { ...base, password: { file: (await p.input({ message: 'File holding the password', default: given.password?.file ?? '~/.config/kbootstrap/password', validate: isNonEmpty('a file path') })).trim() } };
    case 'password-typed': {
      const secret = await p.password({ message: `Password of ${user}`, mask: '*', validate: isNonEmpty('the password') });
      deps.addSecret?.(secret);
      deps.typedSecret?.(TYPED_PASSWORD_ENV, secret);
      say(`the password is used for this run only; next time: export ${TYPED_PASSWORD_ENV}=...`);
      return { ...base, password: { env: TYPED_PASSWORD_ENV } };
    }
  }
}

async function askAddons(
  p: WizardPrompts,
  given: NonNullable<InventoryInput['addons']>,
  board: Board,
  nodes: NodeInput[],
  say: (t: string) => void,
): Promise<NonNullable<InventoryInput['addons']>> {
  const isOn = (name: AddonName) => given[name] !== undefined && given[name]?.enabled !== false;
  const arches = [...new Set(nodes.map((n) => BOARD_ARCH[n.board ?? board]).filter((a): a is string => a !== undefined))];
  const nodeGb = await p.number({ message: 'Memory of the smallest node, in GB (some addons need more)', default: BOARD_MEMORY_GB[board], min: 1, max: 4096, required: true });
  const offered: AddonName[] = [];
  for (const name of ADDON_NAMES) {
    const why = whyNotOffered(name, { arches, nodeGb });
    if (!why) offered.push(name);
    else say(`not offered: ${name}: ${why}${isOn(name) ? ' (kept as the file has it)' : ''}`);
  }
  const chosen = await p.checkbox<AddonName>({
    message: 'Addons to install',
    choices: offered.map((name) => ({ name, value: name, checked: isOn(name) })),
  });
  const out: NonNullable<InventoryInput['addons']> = {};
  for (const name of ADDON_NAMES) {
    if (!offered.includes(name)) {
      if (given[name]) out[name] = given[name];
    } else if (chosen.includes(name)) out[name] = { ...given[name], enabled: true };
    else if (given[name]) out[name] = { ...given[name], enabled: false };
  }
  return out;
}
