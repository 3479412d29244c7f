import { checkbox, confirm, input, number, password, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { expect } from 'vitest';
import type { Choice, WizardPrompts } from '../../src/cli/wizard-prompts.js';

/**
 * One expected question and how to answer it. Text answers are typed ('' takes the default);
 * `typo` is typed first and must be refused with `error` shown under the prompt.
 */
export interface Step {
  message: RegExp;
  answer: string | boolean | string[];
  typo?: { text: string; error: RegExp };
}

const settle = () => new Promise((r) => setImmediate(r));

/**
 * The real @inquirer prompts, rendered by @inquirer/testing and driven by key presses, so the
 * wizard's validators run inside the prompts exactly as in a terminal.
 */
export function drivenPrompts(script: Step[]): WizardPrompts & { remaining: () => Step[]; asked: string[] } {
  const steps = [...script];
  const asked: string[] = [];
  const next = (message: string): Step => {
    asked.push(message);
    const step = steps.shift();
    expect(step, `unexpected question: ${message}`).toBeDefined();
    expect(message).toMatch(step!.message);
    return step!;
  };

  async function typed<V>(prompt: unknown, config: { message: string }): Promise<V> {
    const step = next(config.message);
    const { answer, events, getScreen } = await render(prompt as never, config as never);
    if (step.typo) {
      events.type(step.typo.text);
      events.keypress('enter');
      await settle();
      expect(getScreen()).toMatch(step.typo.error);
      for (let i = 0; i < step.typo.text.length; i++) events.keypress('backspace');
    }
    if (step.answer !== '') events.type(String(step.answer));
    events.keypress('enter');
    return (await answer) as V;
  }

  return {
    asked,
    remaining: () => steps,
    input: (config) => typed<string>(input, config),
    password: (config) => typed<string>(password, config),
    number: (config) => typed<number | undefined>(number, config),
    async confirm(config) {
      const step = next(config.message);
      const { answer, events } = await render(confirm, config);
      events.type(step.answer ? 'y' : 'n');
      events.keypress('enter');
      return answer;
    },
    async select<T extends string>(config: { message: string; choices: Choice<T>[]; default?: T }) {
      const step = next(config.message);
      const { answer, events } = await render(select, config);
      const from = Math.max(0, config.choices.findIndex((c) => c.value === config.default));
      const to = config.choices.findIndex((c) => c.value === step.answer);
      expect(to, `no choice ${String(step.answer)}`).toBeGreaterThanOrEqual(0);
      for (let i = from; i < to; i++) events.keypress('down');
      for (let i = from; i > to; i--) events.keypress('up');
      events.keypress('enter');
      return answer as Promise<T>;
    },
    async checkbox<T extends string>(config: { message: string; choices: Choice<T>[] }) {
      const step = next(config.message);
      const wanted = step.answer as string[];
      const { answer, events } = await render(checkbox, config);
      config.choices.forEach((c, i) => {
        if (i > 0) events.keypress('down');
        if (wanted.includes(c.value) !== Boolean(c.checked)) events.keypress('space');
      });
      events.keypress('enter');
      return answer as Promise<T[]>;
    },
  };
}
