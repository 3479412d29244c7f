/** Factory logins of common images: a node still using one is open to anyone on the LAN. */
const DEFAULT_LOGINS: ReadonlyArray<readonly [user: string, password: string]> = [
  ['pi', 'raspberry'],
  ['ubuntu', 'ubuntu'],
  ['vagrant', 'vagrant'],
  ['root', 'root'],
  ['root', 'toor'],
  ['root', 'dietpi'],
  ['dietpi', 'dietpi'],
  ['admin', 'admin'],
  ['debian', 'debian'],
  ['alarm', 'alarm'],
];

export function looksLikeDefaultPassword(user: string, password: string): boolean {
  if (password === user) return true;
  return DEFAULT_LOGINS.some(([u, p]) => u === user && p === password);
}
