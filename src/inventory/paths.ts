import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** `~` and `~/x` → the home directory; other paths unchanged. */
export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/** `~` and `~/x` expanded; relative paths taken from `baseDir` (the inventory's directory). */
export function resolveUserPath(p: string, baseDir: string, home: string = homedir()): string {
  const expanded = expandHome(p, home);
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}
