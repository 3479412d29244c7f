import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { COMPILED_TEMPLATES } from '../../src/templates-compiled.js';
import { renderTemplate, type TemplateName } from '../../src/templates.js';
import { COMPILE_OPTIONS, COMPILED_TS, renderCompiledModule, templateSources } from './embed-templates.js';

describe('the precompiled templates', () => {
  it('are templates/ exactly, compiled by this Handlebars (regenerate with `npx tsx test/templates/embed-templates.ts`)', () => {
    expect(readFileSync(COMPILED_TS, 'utf8')).toBe(renderCompiledModule(templateSources()));
    expect(Object.keys(COMPILED_TEMPLATES)).toEqual(templateSources().map(([name]) => name));
  });

  it('render as the sources compiled at run time would (a missing variable is an error in both)', () => {
    const source = templateSources().find(([name]) => name === 'os/hosts-cluster-block')![1];
    const data = { begin: '# <b>', end: '# & end', entries: [{ ip: '10.0.0.1', names: 'a b' }] };
    expect(renderTemplate('os/hosts-cluster-block' satisfies TemplateName, data)).toBe(Handlebars.compile(source, COMPILE_OPTIONS)(data));
    expect(() => renderTemplate('os/hosts-cluster-block', { begin: 'x', entries: [] })).toThrow(/"end" not defined/);
  });
});
