
/**
 * The few prompt kinds the wizard uses, narrowed to what it passes. The real ones are
 * @inquirer/prompts; tests drive those same prompts through @inquirer/testing, or script answers.
 */
export interface Choice<T extends string> {
  name: string;
  value: T;
  description?: string;
  checked?: boolean;
}

export interface WizardPrompts {
  input(config: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  number(config: { message: string; default?: number; min?: number; max?: number; required?: boolean }): Promise<number | undefined>;
  select<T extends string>(config: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  checkbox<T extends string>(config: { message: string; choices: Choice<T>[] }): Promise<T[]>;
  confirm(config: { message: string; default?: boolean }): Promise<boolean>;
  password(config: { message: string; mask?: string; validate?: (value: string) => true | string }): Promise<string>;
}

// Loaded on the first prompt: a run that asks nothing (a re-run, --yes, --json) does not pay for it at start-up.
let loaded: Promise<typeof import('@inquirer/prompts')> | undefined;
const inquirer = () => (loaded ??= import('@inquirer/prompts'));

export const inquirerPrompts: WizardPrompts = {
  input: async (config) => (await inquirer()).input(config),
  number: async (config) => (await inquirer()).number(config),
  select: async (config) => (await inquirer()).select(config),
  checkbox: async (config) => (await inquirer()).checkbox(config),
  confirm: async (config) => (await inquirer()).confirm(config),
  password: async (config) => (await inquirer()).password(config),
};
