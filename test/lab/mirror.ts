import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Debian mirror this machine's apt already uses (its sources files), so the lab fetches from
 * the same place apt does; KBOOTSTRAP_LAB_MIRROR overrides it.
 */
export function debianMirror(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KBOOTSTRAP_LAB_MIRROR) return env.KBOOTSTRAP_LAB_MIRROR;
  const found = mirrorFromSources(aptSourcesText());
  if (!found) throw new Error('no Debian mirror in /etc/apt/sources.list{,.d}: set KBOOTSTRAP_LAB_MIRROR');
  return found;
}

/** The first URI of a main Debian archive (…/debian, not …/debian-security) in apt sources text. */
export function mirrorFromSources(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const uris = /^\s*URIs:\s*(.+)$/.exec(line)?.[1]?.split(/\s+/) ?? /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line)?.slice(1) ?? [];
    const main = uris.find((u) => /\/debian\/?$/.test(u));
    if (main) return main.replace(/\/$/, '');
  }
  return undefined;
}

function aptSourcesText(): string {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const f of readdirSync('/etc/apt/sources.list.d')) if (/\.(sources|list)$/.test(f)) files.push(join('/etc/apt/sources.list.d', f));
  } catch {
    // no sources.list.d
  }
  return files.map((f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  }).join('\n');
}
