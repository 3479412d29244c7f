import type { ExecOptions, ExecResult, Transport, TransportStats, WriteFileOptions } from '../../src/ssh/transport.js';

/**
 * A scripted node for phase tests: files live in a map, commands are answered by `handler` and
 * recorded, so a test can assert exactly what a phase did on the node.
 */
export class FakeTransport implements Transport {
  readonly stats: TransportStats = { connections: 1, execs: 0 };
  readonly commands: string[] = [];
  readonly writes: { path: string; content: string; mode?: number }[] = [];
  readonly files = new Map<string, string>();
  closed = false;

  constructor(
    readonly node: string,
    private readonly handler: (command: string, opts: ExecOptions) => Partial<ExecResult> = () => ({}),
  ) {}

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.stats.execs++;
    this.commands.push(command);
    return { stdout: '', stderr: '', code: 0, ...this.handler(command, opts) };
  }

  async run(command: string, opts: ExecOptions = {}): Promise<string> {
    const r = await this.exec(command, opts);
    if (r.code !== 0) throw new Error(`${opts.description ?? command} failed on ${this.node} (exit ${r.code})`);
    return r.stdout;
  }

  async readFile(path: string): Promise<string | undefined> {
    this.stats.execs++;
    return this.files.get(path);
  }

  async writeFile(path: string, content: string, opts: WriteFileOptions = {}): Promise<void> {
    this.stats.execs++;
    this.writes.push({ path, content, mode: opts.mode });
    this.files.set(path, content);
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    this.stats.execs++;
    this.commands.push(`upload ${localPath} ${remotePath}`);
  }

  async reconnect(): Promise<void> {
    this.stats.connections++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
