import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * templates/k3s/*.hbs, found relative to this module: src/k3s → ../../templates when run from source,
 * dist/k3s → ../../templates when built (tsconfig.build.json puts src/ at dist/).
 */
const TEMPLATE_DIR = new URL('../../templates/k3s/', import.meta.url);

const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

export function templatePath(name: string): string {
  return fileURLToPath(new URL(`${name}.hbs`, TEMPLATE_DIR));
}

/** Renders templates/k3s/<name>.hbs. No HTML escaping (these are shell scripts and unit files); unknown variables are errors. */
export function renderK3sTemplate(name: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    template = hbs.compile(readFileSync(templatePath(name), 'utf8'), { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(data);
}
