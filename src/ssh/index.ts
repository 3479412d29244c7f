export { connectNode, installKey, publicKeyPresent, type ConnectOptions, type HostKeyLearned } from './connect.js';
export { looksLikeDefaultPassword } from './default-passwords.js';
export { ConnectionLostError, NodeCommandError } from './errors.js';
export { defaultKnownHostsFile, fingerprint, forgetCommand, forgetHostKey, hostPattern } from './known-hosts.js';
export { shellJoin, shellQuote } from './shell-quote.js';
export type { ExecOptions, ExecResult, Transport, TransportStats, WriteFileOptions } from './transport.js';
