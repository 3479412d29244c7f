import { readFileSync } from 'node:fs';
import { intToIp, ipToInt } from '../inventory/ipv4.js';

/** The network this workstation is on, as the wizard proposes it for the nodes. */
export interface NetworkProposal {
  interface: string;
  gateway: string;
  prefix: number;
  dns: string[];
}

interface Route {
  iface: string;
  destination: number;
  gateway: number;
  mask: number;
  metric: number;
  up: boolean;
  viaGateway: boolean;
}

/** /proc/net/route stores addresses as little-endian hex: "010200C0" is 192.0.2.1. */
const hexIp = (hex: string): number => (Number.parseInt(hex.match(/../g)!.reverse().join(''), 16) >>> 0);

const prefixOfMask = (mask: number): number | undefined => {
  const bits = mask.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
};

/** The rows of /proc/net/route (Linux), header skipped; lines that do not parse are ignored. */
export function parseProcNetRoute(text: string): Route[] {
  const routes: Route[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^[0-9A-Fa-f]{8}$/.test(f[1]!) || !/^[0-9A-Fa-f]{8}$/.test(f[2]!) || !/^[0-9A-Fa-f]{8}$/.test(f[7]!)) continue;
    const flags = Number.parseInt(f[3]!, 16);
    routes.push({ iface: f[0]!, destination: hexIp(f[1]!), gateway: hexIp(f[2]!), mask: hexIp(f[7]!), metric: Number(f[6]), up: (flags & 1) !== 0, viaGateway: (flags & 2) !== 0 });
  }
  return routes;
}

/**
 * The default route's gateway and the prefix of the subnet it sits in (the interface's own route
 * that contains the gateway). Lowest metric wins, as the kernel chooses.
 */
export function defaultRouteOf(routes: Route[]): { interface: string; gateway: string; prefix: number } | undefined {
  const defaults = routes.filter((r) => r.up && r.viaGateway && r.destination === 0 && r.mask === 0).sort((a, b) => a.metric - b.metric);
  for (const d of defaults) {
    const link = routes
      .filter((r) => r.up && !r.viaGateway && r.iface === d.iface && r.mask !== 0 && ((d.gateway & r.mask) >>> 0) === r.destination)
      .sort((a, b) => b.mask - a.mask)[0];
    const prefix = link ? prefixOfMask(link.mask) : undefined;
    if (prefix !== undefined) return { interface: d.iface, gateway: intToIp(d.gateway), prefix };
  }
  return undefined;
}

/** IPv4 `nameserver` lines of resolv.conf, loopback ones left out (a local stub like systemd-resolved's 127.0.0.53 serves only this machine). */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\d{1,3}(?:\.\d{1,3}){3})\s*(?:#.*)?$/.exec(line);
    if (!m || m[1]!.startsWith('127.')) continue;
    if (m[1]!.split('.').every((p) => Number(p) <= 255) && !out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/** Gateway, prefix and DNS for the nodes, from this machine's route table and resolv.conf; DNS falls back to the gateway. */
export function proposeNetwork(procNetRoute: string, resolvConf: string): NetworkProposal | undefined {
  const route = defaultRouteOf(parseProcNetRoute(procNetRoute));
  if (!route) return undefined;
  const dns = parseResolvConf(resolvConf);
  return { ...route, dns: dns.length > 0 ? dns : [route.gateway] };
}

/** Reads this workstation's network (Linux: /proc/net/route, /etc/resolv.conf); undefined where they cannot be read. */
export function readWorkstationNetwork(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): NetworkProposal | undefined {
  let route: string;
  try {
    route = read('/proc/net/route');
  } catch {
    return undefined;
  }
  let resolv = '';
  try {
    resolv = read('/etc/resolv.conf');
  } catch {
    // no resolv.conf: the gateway is the DNS proposal
  }
  return proposeNetwork(route, resolv);
}

/** True when `ip` is the address of the gateway: a router, not a node. */
export const isGatewayAddress = (ip: string, gateway: string | undefined): boolean =>
  gateway !== undefined && /^\d+(\.\d+){3}$/.test(ip) && ipToInt(ip) === ipToInt(gateway);
