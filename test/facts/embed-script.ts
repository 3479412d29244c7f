import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * src/facts/script.sh is the source; src/facts/script.ts embeds it so that `tsc` output (dist/) carries
 * it without copying files. Regenerate after editing the .sh: `npx tsx test/facts/embed-script.ts`.
 * test/facts/script-embed.test.ts fails when the two differ.
 */
export const SCRIPT_SH = fileURLToPath(new URL('../../src/facts/script.sh', import.meta.url));
export const SCRIPT_TS = fileURLToPath(new URL('../../src/facts/script.ts', import.meta.url));

export function renderScriptModule(sh: string): string {
  const body = sh
    .split('\n')
    .map((line) => `  ${JSON.stringify(line)},`)
    .join('\n');
  return [
    '// Generated from script.sh by test/facts/embed-script.ts: edit the .sh, then run',
    '// `npx tsx test/facts/embed-script.ts`. test/facts/script-embed.test.ts checks they match.',
    '',
    '/** The facts script (see script.sh): run as root with `sh -s`, prints one JSON object. */',
    'export const FACTS_SCRIPT: string = [',
    body,
    "].join('\\n');",
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCRIPT_TS, renderScriptModule(readFileSync(SCRIPT_SH, 'utf8')));
  console.log(`wrote ${SCRIPT_TS}`);
}
