import { inventoryJsonSchema } from './json-schema.js';

interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

function typeOf(n: SchemaNode): string {
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const alt = n.anyOf ?? n.oneOf;
  if (alt) return alt.map(typeOf).join(' \\| ');
  if (n.type === 'array') return `list of ${n.items ? typeOf(n.items) : 'any'}`;
  if (n.type === 'object' && !n.properties && typeof n.additionalProperties === 'object') return `map of ${typeOf(n.additionalProperties)}`;
  return Array.isArray(n.type) ? n.type.join(' \\| ') : n.type ?? 'any';
}

function rows(n: SchemaNode, prefix: string): string[] {
  const props = n.properties ?? n.items?.properties;
  if (!props) return [];
  const base = n.items?.properties ? `${prefix}[]` : prefix;
  return Object.entries(props).flatMap(([key, child]) => {
    if (key === '$schema') return [];
    const path = base ? `${base}.${key}` : key;
    const def = child.default === undefined || (typeof child.default === 'object' && child.default !== null && Object.keys(child.default).length > 0) ? '' : `\`${JSON.stringify(child.default)}\``;
    const line = `| \`${path}\` | ${typeOf(child)} | ${def} | ${(child.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`;
    return [line, ...rows(child, path)];
  });
}

/** The inventory reference table for the README, generated from the same schema that validates. */
export function inventoryReference(): string {
  return ['| key | type | default | what it is |', '| --- | --- | --- | --- |', ...rows(inventoryJsonSchema() as SchemaNode, '')].join('\n');
}
