import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * templates/<name>.hbs, found relative to this module: the package root is one level up from both
 * src/ (run from source) and dist/ (built; tsconfig.build.json maps src/ to dist/).
 */
const TEMPLATES_ROOT = new URL('../templates/', import.meta.url);

const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Absolute path of templates/<name>.hbs; `name` may hold a folder, e.g. "os/netplan.yaml". */
export function templatePath(name: string): string {
  return fileURLToPath(new URL(`${name}.hbs`, TEMPLATES_ROOT));
}

/**
 * Renders templates/<name>.hbs with `data`, compiled once and cached. No HTML escaping (these are
 * config files); strict mode, so a variable missing from `data` is an error instead of an empty string.
 */
export function renderTemplate(name: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    template = hbs.compile(readFileSync(templatePath(name), 'utf8'), { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(data);
}
