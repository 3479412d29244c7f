import { accessSync, constants, statSync } from 'node:fs';
import type { FileProbe } from './rule-types.js';

/** Looks at a file on this machine without reading it: exists, regular, mode, readable by us. */
export const realFileProbe: FileProbe = (path) => {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return { kind: 'missing' };
  }
  if (!stat.isFile()) return { kind: 'not-a-file' };
  let readable = true;
  try {
    accessSync(path, constants.R_OK);
  } catch {
    readable = false;
  }
  return { kind: 'file', mode: stat.mode & 0o7777, readable };
};
