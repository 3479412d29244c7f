import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { packagePath } from './package-root.js';

const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Absolute path of templates/<name>.hbs in the package; `name` may hold a folder, e.g. "os/netplan.yaml". */
export function templatePath(name: string): string {
  return packagePath('templates', `${name}.hbs`);
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
