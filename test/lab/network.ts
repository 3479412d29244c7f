import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { DHCP_RANGE, type LabSubnet } from './paths.js';
import { inNetns, run, runOk } from './sh.js';

/**
 * The lab's network: a bridge with the router address (.1), a dnsmasq on it (DHCP .100-.199, DNS for
 * the lab only), and per node a network namespace joined to the bridge by a veth pair (eth0 inside).
 * Packets arriving on the bridge are never forwarded: nodes reach the lab subnet and nothing else.
 */

async function sysctl(key: string, value: string): Promise<void> {
  await runOk('sysctl', ['-q', '-w', `${key}=${value}`]);
}

export async function createBridge(bridge: string, subnet: LabSubnet): Promise<void> {
  await runOk('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await sysctl(`net.ipv6.conf.${bridge}.disable_ipv6`, '1');
  await sysctl(`net.ipv4.conf.${bridge}.forwarding`, '0');
  await runOk('ip', ['addr', 'add', `${subnet.gateway}/${subnet.prefix}`, 'dev', bridge]);
  await runOk('ip', ['link', 'set', bridge, 'up']);
}

export function startDnsmasq(bridge: string, subnet: LabSubnet, leaseFile: string, logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  const args = [
    '--keep-in-foreground', '--log-facility=-', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll',
    `--interface=${bridge}`, '--bind-interfaces', `--listen-address=${subnet.gateway}`, '--except-interface=lo',
    `--dhcp-range=${subnet.base}${DHCP_RANGE.first},${subnet.base}${DHCP_RANGE.last},255.255.255.0,12h`,
    `--dhcp-option=option:router,${subnet.gateway}`, `--dhcp-option=option:dns-server,${subnet.dns}`,
    `--dhcp-leasefile=${leaseFile}`, '--dhcp-authoritative', '--domain=lab', '--local=/lab/', '--log-dhcp',
    `--pid-file=`, '--user=root',
  ];
  return spawn('dnsmasq', args, { stdio: ['ignore', out, out] });
}

export interface NodeLink {
  netns: string;
  vethHost: string;
  vethPeer: string;
}

export async function createNodeNetns(bridge: string, link: NodeLink): Promise<void> {
  await runOk('ip', ['netns', 'add', link.netns]);
  await runOk('ip', ['link', 'add', link.vethHost, 'type', 'veth', 'peer', 'name', link.vethPeer]);
  await sysctl(`net.ipv6.conf.${link.vethHost}.disable_ipv6`, '1');
  await runOk('ip', ['link', 'set', link.vethHost, 'master', bridge]);
  await runOk('ip', ['link', 'set', link.vethHost, 'up']);
  await runOk('ip', ['link', 'set', link.vethPeer, 'netns', link.netns]);
  await runOk('ip', ['-n', link.netns, 'link', 'set', link.vethPeer, 'name', 'eth0']);
  await runOk('ip', ['-n', link.netns, 'link', 'set', 'lo', 'up']);
}

/** What a power cycle does to the wire: the node loses its addresses and its link goes down and up. */
export async function powerCycleLink(netns: string): Promise<void> {
  await run('ip', ['-n', netns, 'addr', 'flush', 'dev', 'eth0']);
  await run('ip', ['-n', netns, 'link', 'set', 'eth0', 'down']);
  await run('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
}

export async function setHostLink(vethHost: string, up: boolean): Promise<void> {
  await runOk('ip', ['link', 'set', vethHost, up ? 'up' : 'down']);
}

/** The node's current global IPv4 on eth0, if any. */
export async function currentIpv4(netns: string): Promise<string | undefined> {
  const r = await run('ip', ['-n', netns, '-4', '-o', 'addr', 'show', 'dev', 'eth0', 'scope', 'global']);
  // dhcpcd puts a 169.254/16 (IPv4LL) address up while it waits for a lease: that is not the node's address.
  const ips = [...r.stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!);
  return ips.find((ip) => !ip.startsWith('169.254.'));
}

export async function deleteNetns(netns: string): Promise<void> {
  await run('ip', ['netns', 'pids', netns]).then(async (r) => {
    for (const pid of r.stdout.split(/\s+/).filter(Boolean)) await run('kill', ['-KILL', pid]);
  });
  await run('ip', ['netns', 'del', netns]);
}

export async function deleteLink(name: string): Promise<void> {
  await run('ip', ['link', 'del', name]);
}

export async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', name])).code === 0;
}

export { inNetns };
