import type * as z from 'zod';

type AnySchema = z.core.$ZodType;

interface DefLike {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
}

const defOf = (s: AnySchema) => s._zod.def as unknown as DefLike;

/** Looks through wrappers (optional, default, prefault, pipe...) to the schema that does the work. */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
  return s;
}

/** The schema that validates the value at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: AnySchema, path: readonly (string | number)[]): AnySchema | undefined {
  let s: AnySchema | undefined = unwrap(root);
  for (const seg of path) {
    if (!s) return undefined;
    const def = defOf(s);
    if (def.type === 'object' && def.shape && typeof seg === 'string') s = def.shape[seg];
    else if (def.type === 'array' && def.element) s = def.element;
    else if (def.type === 'record' && def.valueType) s = def.valueType;
    else return undefined;
    s = s ? unwrap(s) : undefined;
  }
  return s;
}

/** The keys an object accepts at `path` (empty when there is no object schema there). */
export function allowedKeysAt(root: AnySchema, path: readonly (string | number)[]): string[] {
  const s = schemaAt(root, path);
  if (!s) return [];
  const def = defOf(s);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
