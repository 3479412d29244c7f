import type { Duplex } from 'node:stream';
import { UserError } from '../../src/errors.js';
import { ConnectionLostError, NodeCommandError, isDiskFull, stderrTail, sudoError, sudoProblem } from '../../src/ssh/errors.js';
import { describe } from '../../src/ssh/node-ssh-transport.js';
import type { ExecOptions, ExecResult, Transport, TransportStats, WriteFileOptions } from '../../src/ssh/transport.js';

/**
 * What a handler may answer besides an exec result: `hang` stands for a command that never ends (the
 * caller's timeoutMs, if any, then fires with the real transport's timeout error; without one the link
 * is reported lost, as keepalive would).
 */
export type FakeAnswer = Partial<ExecResult> & { hang?: boolean };

/**
 * A scripted node for phase tests: files live in a map, commands are answered by `handler` and
 * recorded, so a test can assert exactly what a phase did on the node.
 *
 * Its failures are the real transport's (ssh/node-ssh-transport.ts), built with the same classes and
 * helpers, so orchestration code sees in a unit test what it sees in the lab:
 * - `run` of a command exiting non-zero: NodeCommandError (node, description, exit code, redacted stderr tail);
 * - a sudo refusal in stderr of a `sudo: true` command: the sudo UserError (sudoProblem/sudoError);
 * - `hang` with timeoutMs: the "timed out after N s on NODE" UserError;
 * - `loseLink()`: every later call fails with ConnectionLostError, until `reconnect`;
 * - `secrets`: redacted from stderr tails like the real transport's passwords.
 */
export class FakeTransport implements Transport {
  readonly stats: TransportStats = { connections: 1, execs: 0 };
  readonly commands: string[] = [];
  /** Absent unless a test gives it (src/k3s/api-client.ts then falls back to kubectl). */
  forward?: (host: string, port: number) => Promise<Duplex>;
  readonly writes: { path: string; content: string; mode?: number }[] = [];
  readonly files = new Map<string, string>();
  /** Strings the real transport would redact from errors (passwords). */
  readonly secrets: string[] = [];
  /** The user sudo errors name. */
  user = 'pi';
  address = '127.0.0.1:22';
  closed = false;
  private lost: Error | undefined;

  constructor(
    readonly node: string,
    private readonly handler: (command: string, opts: ExecOptions) => FakeAnswer = () => ({}),
  ) {}

  /** The link drops (cable pulled, node powered off): every later command fails as on the real transport. */
  loseLink(reason = new Error('Keepalive timeout')): void {
    this.lost = reason;
  }

  /** Answers a command; subclasses override this to simulate a node. */
  protected answer(command: string, opts: ExecOptions): FakeAnswer {
    return this.handler(command, opts);
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const description = opts.description ?? describe(command);
    if (this.lost) throw new ConnectionLostError(this.node, this.address, description, this.lost);
    this.stats.execs++;
    this.commands.push(command);
    const { hang, ...answer } = this.answer(command, opts);
    if (hang) {
      if (opts.timeoutMs) {
        throw new UserError(`timed out after ${Math.round(opts.timeoutMs / 1000)}s on ${this.node}: ${description}`, {
          where: { node: this.node },
          hint: 'The command was stopped. Is the node overloaded, or waiting for input?',
        });
      }
      throw new ConnectionLostError(this.node, this.address, description, new Error('Keepalive timeout'));
    }
    const result: ExecResult = { stdout: '', stderr: '', code: 0, ...answer };
    if (opts.sudo) {
      const problem = sudoProblem(result.code, result.stderr);
      if (problem) throw sudoError(this.node, this.user, problem);
    }
    return result;
  }

  async run(command: string, opts: ExecOptions = {}): Promise<string> {
    const r = await this.exec(command, opts);
    if (r.code !== 0) throw this.commandError(opts.description ?? describe(command), r);
    return r.stdout;
  }

  async readFile(path: string): Promise<string | undefined> {
    if (this.lost) throw new ConnectionLostError(this.node, this.address, `read ${path}`, this.lost);
    this.stats.execs++;
    return this.files.get(path);
  }

  async writeFile(path: string, content: string, opts: WriteFileOptions = {}): Promise<void> {
    if (this.lost) throw new ConnectionLostError(this.node, this.address, `write ${path}`, this.lost);
    this.stats.execs++;
    const refusal = this.writeRefusal(path);
    if (refusal) {
      if (isDiskFull(refusal.stderr)) {
        throw new UserError(`disk full on ${this.node} during: write ${path}`, {
          where: { node: this.node },
          hint: 'Free some space on the node (`df -h`), then re-run. The file was left as it was.',
        });
      }
      throw this.commandError(`write ${path}`, refusal);
    }
    this.writes.push({ path, content, mode: opts.mode });
    this.files.set(path, content);
  }

  /** A write the node refuses (its exit code and stderr); undefined: it succeeds. Subclasses and tests override. */
  writeRefusal(_path: string): ExecResult | undefined {
    return undefined;
  }

  async upload(localPath: string, remotePath: string, _opts: WriteFileOptions = {}): Promise<void> {
    if (this.lost) throw new ConnectionLostError(this.node, this.address, `upload ${localPath} to ${remotePath}`, this.lost);
    this.stats.execs++;
    this.commands.push(`upload ${localPath} ${remotePath}`);
  }

  async reconnect(_host?: string): Promise<void> {
    this.lost = undefined;
    this.stats.connections++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private commandError(description: string, r: ExecResult): NodeCommandError {
    return new NodeCommandError(this.node, description, r.code, stderrTail(r.stderr, this.secrets));
  }
}
