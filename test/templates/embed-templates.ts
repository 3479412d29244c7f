import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * templates/**\/*.hbs are the source; src/templates-compiled.ts holds them precompiled, so a run renders
 * with Handlebars' runtime alone (no parser, no compile at every start). Regenerate after editing a
 * template: `npx tsx test/templates/embed-templates.ts`. test/templates/embed.test.ts fails when they differ.
 */
/** No HTML escaping (these are config files); strict, so a variable missing from the data is an error, not ''. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
export const COMPILED_TS = fileURLToPath(new URL('../../src/templates-compiled.ts', import.meta.url));

/** Every template's name ("os/netplan.yaml") and source, sorted by name. */
export function templateSources(dir = TEMPLATES_DIR): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.hbs')) out.push([relative(dir, join(d, e.name)).slice(0, -'.hbs'.length), readFileSync(join(d, e.name), 'utf8')]);
    }
  };
  walk(dir);
  return out.sort(([a], [b]) => a.localeCompare(b));
}

export function renderCompiledModule(sources: [string, string][]): string {
  return [
    '// @ts-nocheck -- generated code (Handlebars.precompile); the template specs are checked by test/templates/embed.test.ts',
    '// Generated from templates/ by test/templates/embed-templates.ts: edit the .hbs, then run',
    '// `npx tsx test/templates/embed-templates.ts`.',
    '',
    `/** Handlebars template specifications by name, compiled with ${JSON.stringify(COMPILE_OPTIONS)}. */`,
    'export const COMPILED_TEMPLATES = {',
    ...sources.map(([name, source]) => `  ${JSON.stringify(name)}: ${Handlebars.precompile(source, COMPILE_OPTIONS)},`),
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(COMPILED_TS, renderCompiledModule(templateSources()));
  console.log(`wrote ${COMPILED_TS}`);
}
