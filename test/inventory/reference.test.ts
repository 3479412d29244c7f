import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inventoryReference } from '../../src/inventory/reference.js';

const README = new URL('../../README.md', import.meta.url);
const BLOCK = /(<!-- inventory-reference:start[^>]*-->\n)([\s\S]*?)(\n<!-- inventory-reference:end -->)/;

describe('the README\'s inventory reference', () => {
  it('is the table generated from the schema that validates inventories', async () => {
    const text = await readFile(README, 'utf8');
    const generated = inventoryReference();
    if (process.env.UPDATE_README) await writeFile(README, text.replace(BLOCK, (_m, a: string, _b, c: string) => `${a}${generated}${c}`));
    expect(BLOCK.exec(text)?.[2]).toBe(generated);
    expect(generated).toContain('| `nodes[].staticIp` | string |');
  });
});
