import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Arch, LabSubnet, Variant } from './paths.js';
import type { NetworkStack } from './variants.js';

export type PowerState = 'starting' | 'running' | 'rebooting' | 'off';

export interface NodeState {
  name: string;
  position: number;
  variant: Variant;
  arch: Arch;
  stack: NetworkStack;
  hostname: string;
  machineId: string;
  sudoNoPassword: boolean;
  rootfs: string;
  netns: string;
  vethHost: string;
  vethPeer: string;
  machine: string;
  diskDir: string;
  upper: string;
  work: string;
  merged: string;
  consoleLog: string;
  power: PowerState;
  nspawnPid?: number;
  /** PID (host view) of systemd, PID 1 inside the node. */
  leaderPid?: number;
  boots: number;
  reboots: number;
  lastExit?: number;
  linkCut: boolean;
  shimError?: string;
}

export interface LabCredentials {
  user: 'pi';
  password: string;
  privateKeyPath: string;
  publicKeyPath: string;
  passwordFile: string;
}

export interface LabState {
  id: string;
  index: number;
  status: 'starting' | 'up' | 'failed' | 'down';
  error?: string;
  supervisorPid: number;
  dnsmasqPid?: number;
  bridge: string;
  subnet: LabSubnet;
  runDir: string;
  diskSizeMb: number;
  credentials: Omit<LabCredentials, 'password'>;
  nodes: NodeState[];
  createdAt: string;
}

export function readState(file: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeState(file: string, state: LabState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o644 });
  renameSync(tmp, file);
}
