import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { UserError } from '../errors.js';
import { redactString } from '../log/redact.js';
import { ConnectionLostError, NodeCommandError, isDiskFull, stderrTail, sudoError, sudoProblem } from './errors.js';
import {
  atomicWriteScript,
  readFileScript,
  READ_MISSING_EXIT,
  wrapCommand,
  wrapStdin,
  type AtomicWriteSpec,
  type SudoMode,
} from './remote-scripts.js';
import type { ExecOptions, ExecResult, Transport, TransportStats, WriteFileOptions } from './transport.js';

/** How to (re)open the SSH session; supplied by connect.ts. */
export type Dial = (host: string) => Promise<NodeSSH>;

export interface NodeSshTransportOptions {
  node: string;
  host: string;
  port: number;
  user: string;
  sudoPassword?: string;
  /** Everything that must never show up in an error message (passwords). */
  secrets: string[];
  backupDir?: string;
  dial: Dial;
}

interface Pending {
  fail(err: Error): void;
}

/**
 * The real Transport: one ssh2 connection (opened through node-ssh) reused for every command of the
 * run. A dropped link (keepalive timeout, socket error) fails every pending command at once instead of
 * leaving it hanging.
 */
export class NodeSshTransport implements Transport {
  readonly node: string;
  readonly stats: TransportStats = { connections: 0, execs: 0 };
  private host: string;
  private ssh: NodeSSH | undefined;
  private lostReason: Error | undefined;
  private readonly pending = new Set<Pending>();
  private readonly sudoMode: SudoMode;

  private constructor(private readonly opts: NodeSshTransportOptions) {
    this.node = opts.node;
    this.host = opts.host;
    this.sudoMode = opts.user === 'root' ? { kind: 'root' } : opts.sudoPassword ? { kind: 'password' } : { kind: 'no-password' };
  }

  static async open(opts: NodeSshTransportOptions): Promise<NodeSshTransport> {
    const transport = new NodeSshTransport(opts);
    await transport.attach(opts.host);
    return transport;
  }

  get address(): string {
    return `${this.host}:${this.opts.port}`;
  }

  private async attach(host: string): Promise<void> {
    const ssh = await this.opts.dial(host);
    this.ssh = ssh;
    this.host = host;
    this.lostReason = undefined;
    this.stats.connections++;
    const client = ssh.connection as Client;
    const onGone = (err?: Error) => {
      if (this.ssh !== ssh) return;
      this.lostReason ??= err ?? new Error('connection closed');
      for (const p of [...this.pending]) p.fail(this.lostReason);
      // After a keepalive timeout ssh2 only half-closes; make sure the socket really goes.
      if (err) client.destroy();
    };
    client.on('error', (err: Error) => onGone(err));
    client.on('close', () => onGone());
    client.on('end', () => onGone());
  }

  async reconnect(host?: string): Promise<void> {
    await this.close();
    await this.attach(host ?? this.host);
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.execWrapped(command, opts);
    if (opts.sudo) {
      const problem = sudoProblem(result.code, result.stderr);
      if (problem) throw sudoError(this.node, this.opts.user, problem);
    }
    return result;
  }

  async run(command: string, opts: ExecOptions = {}): Promise<string> {
    const result = await this.exec(command, opts);
    if (result.code !== 0) throw this.commandError(opts.description ?? describe(command), result);
    return result.stdout;
  }

  /** A channel to host:port as the node sees it (a TCP forward over this connection); one round trip. */
  async forward(host: string, port: number): Promise<Duplex> {
    this.stats.execs++;
    const client = this.client();
    return this.track<Duplex>(`forward to ${host}:${port}`, (resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => (err ? reject(err) : resolve(channel)));
    });
  }

  async readFile(path: string): Promise<string | undefined> {
    const result = await this.exec(readFileScript(path), { sudo: true, description: `read ${path}` });
    if (result.code === READ_MISSING_EXIT && !result.stderr.trim()) return undefined;
    if (result.code !== 0) throw this.commandError(`read ${path}`, result);
    return result.stdout;
  }

  async writeFile(path: string, content: string, opts: WriteFileOptions = {}): Promise<void> {
    const bytes = Buffer.from(content, 'utf8');
    const spec: AtomicWriteSpec = { path, ...opts, backupDir: this.opts.backupDir, source: { kind: 'stdin-base64' }, expectedSize: bytes.length };
    const stdin = bytes.toString('base64').replace(/.{1,76}/g, '$&\n');
    await this.runWrite(`write ${path}`, atomicWriteScript(spec), stdin);
  }

  async upload(localPath: string, remotePath: string, opts: WriteFileOptions = {}): Promise<void> {
    const staged = `/tmp/kbootstrap-upload.${randomBytes(6).toString('hex')}`;
    const description = `upload ${localPath} to ${remotePath}`;
    const size = await stat(localPath).then(
      (s) => s.size,
      (err: unknown) => {
        throw new UserError(`cannot upload ${localPath} to ${this.node}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
          where: { node: this.node },
          cause: err,
        });
      },
    );
    const sftp = await this.track<SFTPWrapper>(description, (resolve, reject) =>
      this.client().sftp((err, s) => (err ? reject(err) : resolve(s))),
    ).catch((err: unknown) => {
      if (err instanceof UserError) throw err;
      throw new UserError(`cannot upload to ${this.node}: ${(err as Error).message}`, {
        where: { node: this.node },
        hint: 'The node\'s sshd must offer SFTP (Subsystem sftp in /etc/ssh/sshd_config).',
        cause: err,
      });
    });
    try {
      // fastPut streams the file in chunks: the 70 MB k3s binary is never held in memory.
      await this.track<void>(description, (resolve, reject) =>
        sftp.fastPut(localPath, staged, { mode: 0o600 }, (err) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      sftp.unlink(staged, () => undefined);
      if (err instanceof UserError) throw err;
      const message = (err as Error).message;
      if (isDiskFull(message) || /failure/i.test(message)) {
        throw new UserError(`${description} failed on ${this.node}: ${message}`, {
          where: { node: this.node },
          hint: 'Is /tmp on the node full? Check with `df -h /tmp`.',
          cause: err,
        });
      }
      throw err;
    } finally {
      sftp.end();
    }
    const spec: AtomicWriteSpec = {
      path: remotePath,
      ...opts,
      backupDir: this.opts.backupDir,
      source: { kind: 'file', path: staged },
      expectedSize: size,
    };
    await this.runWrite(description, atomicWriteScript(spec), undefined);
  }

  async close(): Promise<void> {
    const ssh = this.ssh;
    if (!ssh) return;
    this.ssh = undefined;
    const client = ssh.connection as Client | null;
    const alreadyGone = this.lostReason !== undefined;
    this.lostReason ??= new Error('connection closed by kbootstrap');
    for (const p of [...this.pending]) p.fail(this.lostReason);
    if (!client) return;
    if (alreadyGone) {
      client.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 2000);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }

  private async runWrite(description: string, script: string, stdin: string | undefined): Promise<void> {
    const result = await this.exec(script, { sudo: true, stdin, description });
    if (result.code === 0) return;
    if (isDiskFull(result.stderr)) {
      throw new UserError(`disk full on ${this.node} during: ${description}`, {
        where: { node: this.node },
        hint: 'Free some space on the node (`df -h`), then re-run. The file was left as it was.',
      });
    }
    throw this.commandError(description, result);
  }

  private commandError(description: string, result: ExecResult): NodeCommandError {
    return new NodeCommandError(this.node, description, result.code, stderrTail(result.stderr, this.opts.secrets));
  }

  private client(): Client {
    if (!this.ssh?.connection) throw this.lostError('(not connected)', this.lostReason);
    return this.ssh.connection as Client;
  }

  private lostError(during: string, cause?: unknown): ConnectionLostError {
    return new ConnectionLostError(this.node, this.address, during, cause);
  }

  /** Runs an async step that fails at once, with a clear message, when the connection drops. */
  private track<T>(description: string, start: (resolve: (v: T) => void, reject: (e: unknown) => void) => void): Promise<T> {
    if (this.lostReason || !this.ssh) return Promise.reject(this.lostError(description, this.lostReason));
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { fail: (err) => finish(() => reject(this.lostError(description, err))) };
      const finish = (settle: () => void) => {
        if (!this.pending.delete(entry)) return;
        settle();
      };
      this.pending.add(entry);
      try {
        start((v) => finish(() => resolve(v)), (e) => finish(() => reject(e)));
      } catch (err) {
        finish(() => reject(err));
      }
    });
  }

  private execWrapped(command: string, opts: ExecOptions): Promise<ExecResult> {
    const description = opts.description ?? describe(command);
    const sudo = opts.sudo ? this.sudoMode : undefined;
    const nonce = randomBytes(6).toString('hex');
    const remote = wrapCommand(command, sudo, nonce);
    const stdin = wrapStdin(opts.stdin, sudo, this.opts.sudoPassword, nonce);
    this.stats.execs++;
    let channel: ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;
    return this.track<ExecResult>(description, (resolve, reject) => {
      if (opts.timeoutMs) {
        timer = setTimeout(() => {
          // Ask sshd to stop the command (sudo relays it), then drop the channel either way.
          try {
            channel?.signal('TERM');
          } catch {
            /* older servers ignore signals */
          }
          channel?.close();
          reject(
            new UserError(`timed out after ${Math.round(opts.timeoutMs! / 1000)}s on ${this.node}: ${description}`, {
              where: { node: this.node },
              hint: 'The command was stopped. Is the node overloaded, or waiting for input?',
            }),
          );
        }, opts.timeoutMs);
      }
      this.client().exec(remote, (err, stream) => {
        if (err) return reject(this.lostError(description, err));
        channel = stream;
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | undefined;
        let signal: string | undefined;
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => errOut.push(d));
        stream.on('exit', (c: number | null, sig?: string) => {
          code = c ?? undefined;
          signal = sig;
        });
        stream.on('close', () => {
          if (code === undefined && signal === undefined) return reject(this.lostError(description, this.lostReason));
          resolve({
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: redactString(Buffer.concat(errOut).toString('utf8'), this.opts.secrets),
            code: code ?? 128,
          });
        });
        stream.on('error', () => undefined);
        stream.end(stdin ?? undefined);
      });
    }).finally(() => clearTimeout(timer));
  }
}

/** A short label for a command when the caller gave none: its first line, cut at 80 characters. */
export function describe(command: string): string {
  const first = command.trim().split('\n')[0] ?? '';
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}
