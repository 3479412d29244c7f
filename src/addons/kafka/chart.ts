/** Chart values and their deep merge (kbootstrap's values, then the inventory's over them). Shared by the Kafka and OpenWhisk modules. */

export type Values = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `over` merged into `base`: objects key by key, everything else (arrays too) replaced. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeValues(prev, value) : value;
  }
  return out;
}
