import { resolveUserPath } from './paths.js';
import { error as fileError, warning as fileWarning, type RuleContext, type RuleInput, type RuleProblem } from './rule-types.js';
import type { Inventory, SecretRef } from './schema.js';

type Ssh = Inventory['ssh'];
type Path = (string | number)[];

// Everything checked here is about this machine (variables, files), not the inventory: marked so.
const error = (p: Parameters<typeof fileError>[0]): RuleProblem => ({ ...fileError(p), environment: true });
const warning = (p: Parameters<typeof fileWarning>[0]): RuleProblem => ({ ...fileWarning(p), environment: true });

/** Secret sources exist, key files exist, and every node has some way to log in. */
export function secretRules(input: RuleInput, ctx: RuleContext): RuleProblem[] {
  const out: RuleProblem[] = [];
  const blocks: { ssh: Ssh; path: Path; node?: string }[] = [{ ssh: input.ssh, path: ['ssh'] }];
  for (const { index, node } of input.nodes) if (node.ssh) blocks.push({ ssh: node.ssh, path: ['nodes', index, 'ssh'], node: node.name });

  for (const { ssh, path, node } of blocks) {
    for (const key of ['password', 'sudoPassword'] as const) {
      const ref = ssh[key];
      if (ref) out.push(...checkSecretRef(ref, [...path, key], key, node, ctx));
    }
    if (ssh.privateKey) out.push(...checkKeyFile(ssh.privateKey, [...path, 'privateKey'], 'private key', node, ctx, true));
    if (ssh.installKey) out.push(...checkKeyFile(ssh.installKey, [...path, 'installKey'], 'public key to install', node, ctx, false));
    if (ssh.knownHosts) out.push(...checkKnownHosts(ssh.knownHosts, [...path, 'knownHosts'], node, ctx));
    if (ssh.agent === true && !ctx.env.SSH_AUTH_SOCK) {
      out.push(warning({ path: [...path, 'agent'], node, message: 'agent: true but SSH_AUTH_SOCK is not set', hint: 'start ssh-agent and ssh-add your key' }));
    }
  }
  out.push(...loginRules(input, ctx));
  return out;
}

function checkSecretRef(ref: SecretRef, path: Path, what: string, node: string | undefined, ctx: RuleContext): RuleProblem[] {
  if (ref.env !== undefined) {
    if (ctx.env[ref.env]) return [];
    return [
      error({
        path: [...path, 'env'],
        node,
        message: `${what} comes from environment variable ${ref.env}, which is not set`,
        hint: `export ${ref.env}=... before running kbootstrap, or use ${what}: { file: path }`,
      }),
    ];
  }
  if (ref.file === undefined) return [];
  const abs = resolveUserPath(ref.file, ctx.baseDir, ctx.homeDir);
  const shown = shownPath(ref.file, abs);
  const filePath = [...path, 'file'];
  const found = ctx.probe(abs);
  if (found.kind === 'missing') return [error({ path: filePath, node, message: `${what} file ${shown} does not exist`, hint: `write the ${what} into it and chmod 600 it` })];
  if (found.kind === 'not-a-file') return [error({ path: filePath, node, message: `${what} file ${shown} is not a regular file` })];
  if (!found.readable) return [error({ path: filePath, node, message: `${what} file ${shown} cannot be read`, hint: 'check its owner and mode' })];
  if ((found.mode & 0o077) !== 0) {
    return [warning({ path: filePath, node, message: `${what} file ${shown} can be read by group or others (mode ${modeText(found.mode)})`, hint: `chmod 600 ${ref.file}` })];
  }
  return [];
}

function checkKeyFile(p: string, path: Path, what: string, node: string | undefined, ctx: RuleContext, isPrivate: boolean): RuleProblem[] {
  const abs = resolveUserPath(p, ctx.baseDir, ctx.homeDir);
  const shown = shownPath(p, abs);
  const found = ctx.probe(abs);
  if (found.kind === 'missing') {
    return [error({ path, node, message: `${what} ${shown} does not exist`, hint: isPrivate ? 'create one with ssh-keygen -t ed25519, or fix the path' : 'point it at your .pub file' })];
  }
  if (found.kind === 'not-a-file') return [error({ path, node, message: `${what} ${shown} is not a regular file` })];
  if (!found.readable) return [error({ path, node, message: `${what} ${shown} cannot be read`, hint: 'check its owner and mode' })];
  if (isPrivate && (found.mode & 0o077) !== 0) {
    return [warning({ path, node, message: `${what} ${shown} can be read by group or others (mode ${modeText(found.mode)})`, hint: `chmod 600 ${p}` })];
  }
  return [];
}

/** A known_hosts file that is missing is made at the first connection; one that exists must be a readable file. */
function checkKnownHosts(p: string, path: Path, node: string | undefined, ctx: RuleContext): RuleProblem[] {
  const abs = resolveUserPath(p, ctx.baseDir, ctx.homeDir);
  const found = ctx.probe(abs);
  if (found.kind === 'not-a-file') return [error({ path, node, message: `known_hosts ${shownPath(p, abs)} is not a regular file`, hint: 'point ssh.knownHosts at a file (it is created at the first connection)' })];
  if (found.kind === 'file' && !found.readable) return [error({ path, node, message: `known_hosts ${shownPath(p, abs)} cannot be read`, hint: 'check its owner and mode' })];
  return [];
}

function loginRules(input: RuleInput, ctx: RuleContext): RuleProblem[] {
  const agentRunning = Boolean(ctx.env.SSH_AUTH_SOCK);
  const canLogIn = (ssh: Ssh) => Boolean(ssh.password || ssh.privateKey || (ssh.agent ?? agentRunning));
  const stuck = input.nodes.filter(({ node }) => !canLogIn({ ...input.ssh, ...node.ssh }));
  if (stuck.length === 0 || !input.sshKnown) return [];
  const hint = 'add ssh.password: { env: KBOOTSTRAP_PI_PASSWORD }, ssh.privateKey: ~/.ssh/id_ed25519, or start ssh-agent';
  // With the agent left to its default, a running ssh-agent is enough: that is this machine's business.
  const problem = (ssh: Ssh) => (ssh.agent === false ? fileError : error);
  if (stuck.length === input.nodes.length && stuck.every(({ node }) => !node.ssh)) {
    const topWritten = Object.keys(input.ssh).length > 0;
    return [problem(input.ssh)({ path: topWritten ? ['ssh'] : ['nodes'], at: topWritten ? 'key' : 'value', message: 'no way to log in to any node: no password, private key or ssh-agent', hint })];
  }
  return stuck.map(({ index, node }) =>
    problem({ ...input.ssh, ...node.ssh })({ path: ['nodes', index], node: node.name, message: 'no way to log in: no password, private key or ssh-agent', hint }),
  );
}

/** As written when absolute or under ~; a relative path also shows where it was looked for. */
const shownPath = (written: string, abs: string) => (written.startsWith('/') || written.startsWith('~') ? written : `${written} (${abs})`);

const modeText = (mode: number) => `0${(mode & 0o777).toString(8)}`;
