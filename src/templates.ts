// The type-only import brings in handlebars' types, which declare the 'handlebars/runtime' module and TemplateSpecification.
import type {} from 'handlebars';
import Handlebars from 'handlebars/runtime';
import { COMPILED_TEMPLATES } from './templates-compiled.js';

export type TemplateName = keyof typeof COMPILED_TEMPLATES;

const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Renders templates/<name>.hbs (e.g. "os/netplan.yaml") with `data`, from its form precompiled into
 * templates-compiled.ts (test/templates/embed-templates.ts): Handlebars' runtime only, nothing compiled
 * at start. No HTML escaping; strict, so a variable missing from `data` is an error.
 */
export function renderTemplate(name: TemplateName, data: object): string {
  let template = cache.get(name);
  if (!template) {
    template = hbs.template(COMPILED_TEMPLATES[name] as unknown as TemplateSpecification);
    cache.set(name, template);
  }
  return template(data);
}
