import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The layer rule of `npm run layers` (.dependency-cruiser.cjs) run over a small tree of its own, so
// it is seen to fail on an upward import and pass on a downward one (the real src/ is `npm run layers`).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const config = join(root, '.dependency-cruiser.cjs');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cruise(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-layers-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    const { stdout } = await promisify(execFile)(depcruise, ['src', '--config', config, '--output-type', 'err'], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: `${e.stdout}${e.stderr}` };
  }
}

describe('the layer rule (npm run layers)', () => {
  it('fails on an import that points up the layers, naming the rule and both files', async () => {
    const r = await cruise({
      'src/cli/context.ts': 'export const io = 1;\n',
      'src/log/style.ts': "import { io } from '../cli/context.js';\nexport const s = io;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('no-upward-import-from-ground: src/log/style.ts → src/cli/context.ts');
  });

  it('fails on a planner importing a phase, and on a file outside every layer', async () => {
    const r = await cruise({
      'src/phases/change.ts': 'export const change = 1;\n',
      'src/os/plan.ts': "import { change } from '../phases/change.js';\nexport const p = change;\n",
      'src/stray/thing.ts': 'export const t = 1;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('no-upward-import-from-planners: src/os/plan.ts → src/phases/change.ts');
    expect(r.output).toContain('layered-orphans: src/stray/thing.ts');
  });

  it('passes imports that point down, type-only ones included', async () => {
    const r = await cruise({
      'src/change/types.ts': 'export interface NodeChange { path: string }\n',
      'src/os/plan.ts': "import type { NodeChange } from '../change/types.js';\nexport const p: NodeChange[] = [];\n",
      'src/phases/prepare.ts': "import { p } from '../os/plan.js';\nexport const q = p;\n",
      'src/cli/main.ts': "import { q } from '../phases/prepare.js';\nexport const m = q;\n",
    });
    expect(r.output).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });
});
