import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from './errors.js';

/** The fields of kbootstrap's own package.json that the CLI reads. */
export interface PackageJson {
  name: string;
  version?: string;
}

const NAME = 'kbootstrap';
let found: { root: string; pkg: PackageJson } | undefined;

/**
 * kbootstrap's package root: the nearest directory at or above this module whose package.json is named
 * "kbootstrap". The same lookup serves the sources (src/), the tsc output (dist/) and the bundle
 * (dist/bin/, where every module sits in one directory), so no module counts `../` itself. Found once
 * per process: one read per directory walked (two or three).
 */
function lookup(): { root: string; pkg: PackageJson } {
  if (found) return found;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = readPackageJson(join(dir, 'package.json'));
    if (pkg?.name === NAME) return (found = { root: dir, pkg });
    if (dirname(dir) === dir) break;
  }
  throw new InternalError(`cannot find kbootstrap's own package.json in ${start} or any directory above it (the installation is incomplete)`);
}

function readPackageJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined; // missing or not JSON: not our root, keep walking up
  }
}

/** Absolute path of a file or folder shipped in the package, e.g. `packagePath('templates', 'os')`. */
export function packagePath(...segments: string[]): string {
  return join(lookup().root, ...segments);
}

/** kbootstrap's package.json, parsed once. */
export function packageJson(): PackageJson {
  return lookup().pkg;
}
