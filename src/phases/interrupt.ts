/**
 * Ctrl-C (SIGINT) and SIGTERM: the CLI sets `requested`; the run then starts nothing new (no phase, no
 * node, no change), lets the change in flight finish (writes are atomic: temp file + rename, uploads
 * checked and removed on failure), prints the summary and exits 130.
 */
export interface StopSignal {
  requested: boolean;
  /** SIGINT or SIGTERM. */
  signal?: string;
}

export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

export function stopRequested(ctx: { stop?: StopSignal }): boolean {
  return ctx.stop?.requested === true;
}

/** Throws before `what` starts when a stop was asked for. */
export function throwIfStopped(ctx: { stop?: StopSignal }, what: string): void {
  if (stopRequested(ctx)) throw new InterruptedError(`interrupted (${ctx.stop?.signal ?? 'signal'}) before ${what}`);
}

/** Installs the process's signal handlers; a second signal exits at once. Returns the uninstaller. */
export function onStopSignals(stop: StopSignal, say: (text: string) => void, exit: (code: number) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (stop.requested) {
      say(`${signal} again: exiting now; a change in flight may be left half done (the next run repairs it)`);
      exit(130);
      return;
    }
    stop.requested = true;
    stop.signal = signal;
    say(`${signal}: stopping: the changes in flight finish, nothing new starts; press Ctrl-C again to quit at once`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
