/** The inventory's public API: load + validate, resolve, secrets, JSON Schema, writing. */
export { loadInventory, parseInventoryText, type LoadOptions, type LoadResult } from './load.js';
export { formatProblem, sortProblems, type Problem } from './problem.js';
export { resolveInventory, DEFAULTS, type ResolveOptions } from './resolve.js';
export { readSecret } from './secrets.js';
export { inventoryJsonSchema, inventoryJsonSchemaText, packageSchemaPath } from './json-schema.js';
export { stringifyInventory, writeInventory, writeInventoryText, schemaRefFor, type StringifyOptions } from './write.js';
export { checkRules, inputFromInventory, type FileProbe, type RuleContext, type RuleInput, type RuleProblem } from './rules.js';
export { ADDON_DEPENDENCIES, addonInstallOrder, type AddonDependency } from './addons.js';
export { realFileProbe } from './file-probe.js';
export * from './schema.js';
export type { ResolvedInventory, ResolvedNode } from './resolved.js';
