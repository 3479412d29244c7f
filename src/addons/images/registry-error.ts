/** The one error a registry conversation ends in, with a code the check turns into a problem kind. */

export type RegistryErrorCode = 'not-found' | 'unauthorized' | 'denied' | 'unreachable' | 'timeout' | 'unsupported' | 'bad-answer';

/** A registry said no, or could not be asked; `message` is `<image>: <detail>`. */
export class RegistryError extends Error {
  /** What went wrong, without the image name. */
  readonly detail: string;
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
    const sep = message.indexOf(': ');
    this.detail = sep >= 0 ? message.slice(sep + 2) : message;
  }
}
