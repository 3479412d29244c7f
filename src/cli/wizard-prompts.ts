import { checkbox, confirm, input, number, password, select } from '@inquirer/prompts';

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

export const inquirerPrompts: WizardPrompts = {
  input: (config) => input(config),
  number: (config) => number(config),
  select: (config) => select(config),
  checkbox: (config) => checkbox(config),
  confirm: (config) => confirm(config),
  password: (config) => password(config),
};
