import { sameSubnet, subnetOf } from '../inventory/ipv4.js';
import { DEFAULT_K3S_VERSION, K3S_CHANNEL_PATTERN, K3S_VERSION_PATTERN, NetworkSchema, NodeSchema } from '../inventory/schema.js';

/**
 * Answer checks for the init wizard, built on the inventory schema's own pieces so a typed answer
 * is held to the same rule as the file. Each returns true or the message shown under the prompt.
 */
export type Check = (value: string) => true | string;

const firstIssue = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? true : (r.error?.issues[0]?.message ?? 'invalid value');

export const isHostname: Check = (v) => firstIssue(NodeSchema.shape.name.safeParse(v.trim()));

export const isIpv4: Check = (v) => (v.trim() === '' ? 'must be an IPv4 address like 192.168.2.50' : firstIssue(NetworkSchema.shape.gateway.safeParse(v.trim())));

/** Where the node answers now: an IPv4 address or a DNS name. */
export const isAddress: Check = (v) => {
  const t = v.trim();
  if (t === '') return 'needed: the address the node answers on now (e.g. its DHCP address)';
  if (/^[\d.]+$/.test(t)) return isIpv4(t);
  return /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(t) ? true : 'must be an IPv4 address or a DNS name';
};

export const isK3sVersion: Check = (v) =>
  K3S_VERSION_PATTERN.test(v.trim()) || K3S_CHANNEL_PATTERN.test(v.trim())
    ? true
    : `must be a release like ${DEFAULT_K3S_VERSION} (https://github.com/k3s-io/k3s/releases) or a channel: stable, latest, v1.34`;

export const isEnvName: Check = (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim()) ? true : 'must be an environment variable name like KBOOTSTRAP_SSH_PASSWORD');

export const isNonEmpty =
  (what: string): Check =>
  (v) =>
    v.trim() === '' ? `needed: ${what}` : true;

/** Comma- or space-separated IPv4 list (DNS servers). */
export function parseIpList(v: string): string[] {
  return v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const isIpList: Check = (v) => {
  const ips = parseIpList(v);
  if (ips.length === 0) return 'give at least one DNS server, e.g. 192.168.2.1';
  for (const ip of ips) if (isIpv4(ip) !== true) return `${ip}: must be an IPv4 address`;
  return true;
};

/** A static IP: valid, inside gateway/prefix's subnet, not the gateway, not its network or broadcast, not taken. */
export function isStaticIp(net: { gateway: string; prefix: number }, taken: readonly string[]): Check {
  return (v) => {
    const ip = v.trim();
    const format = isIpv4(ip);
    if (format !== true) return format;
    const subnet = subnetOf(net.gateway, net.prefix);
    if (!sameSubnet(ip, net.gateway, net.prefix)) return `must be inside ${subnet.network}/${net.prefix} (the gateway's subnet)`;
    if (ip === net.gateway) return 'must not be the gateway address';
    if (ip === subnet.network || ip === subnet.broadcast) return `${ip} is the ${ip === subnet.network ? 'network' : 'broadcast'} address of ${subnet.network}/${net.prefix}`;
    if (taken.includes(ip)) return `${ip} is already given to another node`;
    return true;
  };
}

export function isUniqueHostname(taken: readonly string[]): Check {
  return (v) => {
    const format = isHostname(v);
    if (format !== true) return format;
    return taken.includes(v.trim()) ? `${v.trim()} is already the name of another node` : true;
  };
}
