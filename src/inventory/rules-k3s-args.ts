import { canonicalFlag, flagTableFor, holdsCredential, isOwnedConfigKey } from './k3s-flags.js';
import { didYouMean } from './did-you-mean.js';
import { error, warning, type RuleContext, type RuleInput, type RuleProblem } from './rule-types.js';
import { checkSecretRef } from './rules-secrets.js';
import { isSecretRefValue } from './secrets.js';

type Role = 'server' | 'agent';
const FIELD = { server: 'serverArgs', agent: 'agentArgs' } as const;

/**
 * `k3s.serverArgs` / `k3s.agentArgs` against the flags of the pinned k3s version (inventory/k3s-flags.ts):
 * an agent exits on a key it does not define ("flag provided but not defined"), a server silently
 * drops it (pkg/configfilearg/defaultparser.go), so both are refused with a did-you-mean. Also:
 * keys kbootstrap sets itself, `data-dir` (kbootstrap's paths are fixed), and credentials written as
 * text instead of { env } / { file }.
 */
export function k3sArgRules(input: RuleInput, ctx: RuleContext): RuleProblem[] {
  const k3s = input.k3s;
  if (!k3s) return [];
  const out: RuleProblem[] = [];
  const table = flagTableFor(k3s.version);
  if (!table && (Object.keys(k3s.serverArgs).length > 0 || Object.keys(k3s.agentArgs).length > 0)) {
    out.push(
      warning({
        path: ['k3s', 'version'],
        message: `kbootstrap has no flag list for k3s ${k3s.version}: serverArgs/agentArgs keys are not checked`,
        hint: 'a k3s agent exits on a key it does not know; check them against `k3s agent --help` of that version',
      }),
    );
  }
  for (const role of ['server', 'agent'] as const) {
    const args = role === 'server' ? k3s.serverArgs : k3s.agentArgs;
    for (const [key, value] of Object.entries(args)) out.push(...keyProblems(role, key, value, table, ctx));
  }
  return out;
}

function keyProblems(role: Role, key: string, value: unknown, table: ReturnType<typeof flagTableFor>, ctx: RuleContext): RuleProblem[] {
  const path = ['k3s', FIELD[role], key];
  const flag = canonicalFlag(key);
  if (flag === 'data-dir') {
    return [
      error({
        path,
        at: 'key',
        message: `${FIELD[role]}.${key}: kbootstrap keeps k3s's data in /var/lib/rancher/k3s (token, manifests, images, uninstall scripts) and does not support another data-dir`,
        hint: 'remove it; to put the data on an SSD, mount the SSD at /var/lib/rancher',
      }),
    ];
  }
  if (isOwnedConfigKey(key)) {
    return [
      warning({
        path,
        at: 'key',
        message: `${FIELD[role]}.${key}: kbootstrap sets ${flag} itself, so this value is ignored`,
        hint: ownedHint(flag),
      }),
    ];
  }
  const out: RuleProblem[] = [];
  if (table) {
    const agentFlags = table.agent;
    const known = role === 'agent' ? agentFlags : [...agentFlags, ...table.serverOnly];
    if (!known.includes(flag)) {
      const serverFlag = role === 'agent' && table.serverOnly.includes(flag);
      const guess = didYouMean(flag, known);
      out.push(
        error({
          path,
          at: 'key',
          message: serverFlag
            ? `agentArgs.${key}: ${flag} is a k3s server flag; a k3s agent exits on it ("flag provided but not defined: -${flag}")`
            : role === 'agent'
              ? `agentArgs.${key}: k3s agent has no flag ${flag}; the agent would exit ("flag provided but not defined: -${flag}")`
              : `serverArgs.${key}: k3s server has no flag ${flag}; k3s would silently ignore it`,
          hint: serverFlag ? `move it to k3s.serverArgs` : guess ? `did you mean "${key.endsWith('+') ? `${guess}+` : guess}"?` : `see \`k3s ${role} --help\` for the flags`,
        }),
      );
    }
  }
  if (isSecretRefValue(value)) out.push(...checkSecretRef(value, path, `${FIELD[role]}.${key}`, undefined, ctx));
  else if (typeof value === 'string' && holdsCredential(key, value)) {
    out.push(
      error({
        path,
        message: `${FIELD[role]}.${key} holds a credential written in the inventory`,
        hint: `give it as ${key}: { env: VARIABLE } or { file: path } (mode 0600), like ssh.password`,
      }),
    );
  }
  return out;
}

function ownedHint(flag: string): string {
  switch (flag) {
    case 'node-label':
      return 'set the node\'s `labels` in the inventory';
    case 'node-taint':
      return 'set the node\'s `taints` in the inventory';
    case 'tls-san':
      return 'use k3s.tlsSan';
    case 'disable':
      return 'use k3s.disable';
    case 'node-ip':
    case 'flannel-iface':
      return 'use the node\'s staticIp and network.interface';
    default:
      return 'remove it: kbootstrap derives it from the inventory';
  }
}
