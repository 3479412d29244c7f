import type { Duplex } from 'node:stream';

/**
 * The one way kbootstrap touches a node. One Transport = one SSH connection, reused for every
 * command of the run. Implementations: ssh/node-ssh-transport.ts (real), test fakes.
 */
export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ExecOptions {
  /** Run through sudo (password fed on stdin, never on the command line). */
  sudo?: boolean;
  /** Bytes for the command's stdin. */
  stdin?: string;
  /** Give up after this many ms (the command is killed by closing its channel). */
  timeoutMs?: number;
  /** What the command does, for errors ("enable memory cgroup"); default: its first line. */
  description?: string;
}

export interface WriteFileOptions {
  mode?: number;
  owner?: string;
  /** Back the original up once under /var/lib/kbootstrap/backup/ before replacing it. */
  backup?: boolean;
}

/** Counters that prove one connection per node per run. */
export interface TransportStats {
  /** SSH connections opened (1, plus one per reconnect). */
  connections: number;
  /** Commands sent (each exec/run/readFile/writeFile/upload step is one round trip). */
  execs: number;
}

export interface Transport {
  readonly node: string;
  /** Connection and round-trip counts (real transports; fakes may omit it). */
  readonly stats?: TransportStats;
  /** Runs a shell command (sh -c). Never throws for a non-zero exit: look at `code`. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Like exec, but throws a NodeCommandError naming the node when the exit code is not 0. */
  run(command: string, opts?: ExecOptions): Promise<string>;
  /** Reads a file as root; undefined if it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Atomic write as root: temp file in the same dir, fsync, rename; backup of the original first. */
  writeFile(path: string, content: string, opts?: WriteFileOptions): Promise<void>;
  /** Opens a channel to host:port as the node sees it (a TCP forward over this connection); fakes may omit it. */
  forward?(host: string, port: number): Promise<Duplex>;
  /** Uploads a local file (e.g. the k3s binary) atomically. */
  upload(localPath: string, remotePath: string, opts?: WriteFileOptions): Promise<void>;
  /**
   * Drops the connection and opens a new one on the same object (after a reboot), optionally to a new
   * address (the static IP); the host key is checked and recorded for that address too.
   */
  reconnect?(host?: string): Promise<void>;
  close(): Promise<void>;
}
