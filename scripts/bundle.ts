// The CLI as shipped: `npm run build` runs this after tsc. One esbuild bundle of src/cli/main.ts in
// dist/bin/ (kbootstrap.js plus the chunks of the commands it imports lazily), because Node starts it
// faster than the tsc output's ~200 modules loaded file by file (see the commit that added it for the
// figures). ssh2 and its optional cpu-features stay in node_modules: they load native .node addons.
// Files the CLI reads at run time (package.json, templates/, inventories/) are found through
// src/package-root.ts, which walks up to the package root from wherever the code was bundled.
import { chmod, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_DIR = join(ROOT, 'dist', 'bin');
/** The entry file name in the bundle directory (package.json "bin" points at it). */
export const BUNDLE_ENTRY = 'kbootstrap.js';

// ESM output has no `require`; the CommonJS dependencies bundled in (commander, yaml, handlebars,
// node-ssh → ssh2) call it for Node built-ins and the external ssh2.
const BANNER = "import{createRequire as __kbootstrapCreateRequire}from'node:module';const require=__kbootstrapCreateRequire(import.meta.url);";

/**
 * Bundles the CLI into `outdir` (emptied first). `extraEntries` (name → source file, relative to the
 * package root) adds entry points next to the CLI's, sharing its chunks; the bundle test uses one to
 * import a module of the bundle directly.
 */
export async function buildBundle(outdir: string, extraEntries: Record<string, string> = {}): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { kbootstrap: 'src/cli/main.ts', ...extraEntries },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['ssh2', 'cpu-features'],
    banner: { js: BANNER },
    // Whitespace and syntax only: identifiers keep their names, so a --verbose stack trace reads
    // `at schemaAction (…/kbootstrap.js:32:230)` without a source map. Measured (validate, CPU median
    // of 20): as fast as full minification, which mangles names; --keep-names cost 10-20 ms more.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await chmod(join(outdir, BUNDLE_ENTRY), 0o755);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBundle(BUNDLE_DIR);
}
