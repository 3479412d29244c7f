import { UserError } from '../errors.js';
import { sudoProblem, stderrTail } from '../ssh/errors.js';
import type { Transport } from '../ssh/transport.js';
import { FactsRaceError, parseFacts, parseServerSnapshot } from './parse.js';
import { FACTS_SCRIPT } from './script.js';
import type { NodeFacts, ServerSnapshot } from './types.js';

/** The command that runs the facts script: a shell reading it from stdin (after sudo's password line). */
export const FACTS_COMMAND = 'sh -s';
/** The same on the first server, which also reads its tokens, k3s.yaml and node list (ServerSnapshot). */
export const FIRST_SERVER_FACTS_COMMAND = 'sh -s first-server';

export interface GatherOptions {
  /** Give up after this long (a slow Pi takes about a second). Default 60 s. */
  timeoutMs?: number;
  /** The first server: also read what the cluster phases need from it, in the same round trip. */
  firstServer?: boolean;
}

/**
 * Everything about a node in ONE round trip: the facts script runs as root through sudo and prints one
 * JSON object. A second round trip happens only when a file changed between the script's stat and read.
 */
export async function gatherFacts(t: Transport, opts: GatherOptions = {}): Promise<NodeFacts> {
  return (await gatherNode(t, opts)).facts;
}

/** gatherFacts, plus on the first server (opts.firstServer) its ServerSnapshot. */
export async function gatherNode(t: Transport, opts: GatherOptions = {}): Promise<{ facts: NodeFacts; server?: ServerSnapshot }> {
  for (let attempt = 1; ; attempt++) {
    const result = await t.exec(opts.firstServer ? FIRST_SERVER_FACTS_COMMAND : FACTS_COMMAND, {
      sudo: true,
      stdin: FACTS_SCRIPT,
      timeoutMs: opts.timeoutMs ?? 60_000,
      description: 'gather facts',
    });
    if (result.code !== 0) throw factsFailed(t.node, result.code, result.stderr);
    try {
      const facts = parseFacts(result.stdout, t.node);
      return { facts, ...(opts.firstServer ? { server: parseServerSnapshot(result.stdout) } : {}) };
    } catch (err) {
      if (err instanceof FactsRaceError && attempt < 2) continue;
      throw err;
    }
  }
}

function factsFailed(node: string, code: number, stderr: string): UserError {
  // Real transports already turn sudo refusals into their own errors; this covers the others.
  if (sudoProblem(code, stderr)) {
    return new UserError(`sudo failed on ${node}, so its facts could not be gathered as root`, {
      where: { node },
      hint: 'check the sudo password (ssh.sudoPassword) or allow this user to use sudo on the node',
    });
  }
  const tail = stderrTail(stderr, []);
  return new UserError(`gathering facts failed on ${node} (exit ${code})${tail ? `: ${tail}` : ''}`, {
    where: { node },
    hint: SUDO_NOT_SETUID.test(stderr) ? SUDO_NOT_SETUID_HINT : 'the facts script needs /bin/sh, awk and coreutils on the node',
  });
}

/**
 * sudo started but is not running as root: its setuid bit has no effect. sudo prints this before it
 * checks any password, so every sudo on the node fails the same way whatever the credentials.
 */
const SUDO_NOT_SETUID = /^sudo: effective uid is not 0/m;
const SUDO_NOT_SETUID_HINT =
  'sudo on the node says "effective uid is not 0": it does not run setuid root. On an emulated arm64 node ' +
  '(qemu-user) the host\'s qemu-aarch64 binfmt entry lacks the C flag (re-register it with flags POCF: ' +
  '`sudo bash test/lab/install-deps.sh`, or `npm run lab -- up` explains it); on a real node, /usr/bin/sudo ' +
  'has lost its setuid bit (`chmod 4755 /usr/bin/sudo`) or sits on a file system mounted nosuid';
