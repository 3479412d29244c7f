import type { UserError } from '../../src/errors.js';
import type { ResolvedNode } from '../../src/inventory/resolved.js';
import { classifyConnectError, hostKeyChangedError, type ConnectTarget } from '../../src/ssh/connect-errors.js';

export type ConnectFault = 'refused' | 'unreachable' | 'handshake-timeout' | 'auth' | 'host-key-changed';

const KNOWN_KEY = { type: 'ssh-ed25519', base64: 'AAAAC3NzaC1lZDI1NTE5AAAAIKnownKeyOfTheNodeBeforeItWasReimaged000' };

/**
 * The error connectNode (ssh/connect.ts) throws for a fault, built by the same classifier from the
 * error ssh2 or the socket raises, so phases see the exact error (class, message, cause code) a real
 * connection gives.
 */
export function connectFault(kind: ConnectFault, node: ResolvedNode, host: string, timeoutMs = 20_000): UserError {
  const target: ConnectTarget = { node: node.name, host, port: node.connect.port, user: node.connect.user, methods: ['password'] };
  switch (kind) {
    case 'refused':
      return classifyConnectError(Object.assign(new Error(`connect ECONNREFUSED ${host}:22`), { code: 'ECONNREFUSED' }), target, timeoutMs);
    case 'unreachable':
      return classifyConnectError(Object.assign(new Error(`connect EHOSTUNREACH ${host}:22`), { code: 'EHOSTUNREACH' }), target, timeoutMs);
    case 'handshake-timeout':
      return classifyConnectError(Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }), target, timeoutMs);
    case 'auth':
      return classifyConnectError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), target, timeoutMs);
    case 'host-key-changed':
      return hostKeyChangedError(target, '/tmp/kbootstrap-test/known_hosts', [KNOWN_KEY], { type: 'ssh-ed25519', fingerprint: 'SHA256:newKeyAfterReimage' });
  }
}
