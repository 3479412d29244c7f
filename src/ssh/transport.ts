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
}

export interface WriteFileOptions {
  mode?: number;
  owner?: string;
  /** Back the original up once under /var/lib/kbootstrap/backup/ before replacing it. */
  backup?: boolean;
}

export interface Transport {
  readonly node: string;
  /** Runs a shell command (sh -c). Never throws for a non-zero exit: look at `code`. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Like exec, but throws a NodeCommandError naming the node when the exit code is not 0. */
  run(command: string, opts?: ExecOptions): Promise<string>;
  /** Reads a file as root; undefined if it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Atomic write as root: temp file in the same dir, fsync, rename; backup of the original first. */
  writeFile(path: string, content: string, opts?: WriteFileOptions): Promise<void>;
  /** Uploads a local file (e.g. the k3s binary) atomically. */
  upload(localPath: string, remotePath: string, opts?: WriteFileOptions): Promise<void>;
  close(): Promise<void>;
}
