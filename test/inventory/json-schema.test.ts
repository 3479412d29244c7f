import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inventoryJsonSchema, inventoryJsonSchemaText, packageSchemaPath } from '../../src/inventory/index.js';

type Json = { [k: string]: unknown };

describe('JSON Schema of the inventory', () => {
  // After changing schema.ts: UPDATE_SCHEMA=1 npx vitest run test/inventory/json-schema.test.ts
  it('is committed in inventories/ exactly as generated', () => {
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(packageSchemaPath(), inventoryJsonSchemaText());
    const committed = readFileSync(packageSchemaPath(), 'utf8');
    expect(committed, 'inventories/kbootstrap.schema.json is stale: rerun this test with UPDATE_SCHEMA=1').toBe(
      inventoryJsonSchemaText(),
    );
  });

  it('describes every key', () => {
    const missing: string[] = [];
    const walk = (s: Json, at: string) => {
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
        if (typeof v.description !== 'string' || v.description.length < 5) missing.push(`${at}.${k}`);
        walk(v, `${at}.${k}`);
      }
      if (s.items) walk(s.items as Json, `${at}[]`);
    };
    walk(inventoryJsonSchema() as Json, '');
    expect(missing).toEqual([]);
  });

  it('is the input side: only cluster and nodes are required at the top', () => {
    const schema = inventoryJsonSchema() as Json;
    expect(schema.required).toEqual(['cluster', 'nodes']);
    const props = schema.properties as Record<string, Json>;
    expect(props.board!.default).toBe('rpi4');
    expect((props.nodes!.items as Json).required).toEqual(['name', 'address']);
    expect(schema.additionalProperties).toBe(false);
  });
});
