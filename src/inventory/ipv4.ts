/** IPv4 arithmetic on unsigned 32-bit integers, for subnet rules. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => (acc * 256 + Number(part)) >>> 0, 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export interface Subnet {
  network: string;
  broadcast: string;
  prefix: number;
}

/** The subnet that `ip/prefix` belongs to. */
export function subnetOf(ip: string, prefix: number): Subnet {
  const mask = maskOf(prefix);
  const net = (ipToInt(ip) & mask) >>> 0;
  return { network: intToIp(net), broadcast: intToIp((net | ~mask) >>> 0), prefix };
}

export function sameSubnet(a: string, b: string, prefix: number): boolean {
  const mask = maskOf(prefix);
  return ((ipToInt(a) & mask) >>> 0) === ((ipToInt(b) & mask) >>> 0);
}
