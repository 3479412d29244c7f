import * as z from 'zod';
import { packagePath } from '../package-root.js';
import { InventorySchema } from './schema.js';

/** Absolute path of the committed copy, next to the example inventories in the package. */
export function packageSchemaPath(): string {
  return packagePath('inventories', 'kbootstrap.schema.json');
}

/**
 * JSON Schema of the inventory as written (input side: keys with defaults are optional), for editors
 * (yaml-language-server) and `kbootstrap schema`. Generated from the same zod schema as validation.
 */
export function inventoryJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(InventorySchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://github.com/kbootstrap/kbootstrap/inventories/kbootstrap.schema.json', title: 'kbootstrap inventory' };
}

/** The file's exact text: 2-space JSON and a final newline. */
export function inventoryJsonSchemaText(): string {
  return `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`;
}
