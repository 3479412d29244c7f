import { describe, expect, it } from 'vitest';
import type { NodeState, RunContext } from '../../src/phases/context.js';
import { serverSnapshot, snapshotNodesJson } from '../../src/phases/server-snapshot.js';

const snapshot = { token: 'K10t::server:s', agentToken: '', kubeconfig: 'apiVersion: v1\n', nodesJson: Promise.resolve('{"items":[]}'), addons: '@@index\n', runLock: '', runGeneration: 0 };
const state = (over: Partial<NodeState> = {}): NodeState =>
  ({ node: { name: 'n' }, changes: 0, rebootRequired: false, rebootReasons: [], rebooted: false, ...over }) as unknown as NodeState;
const ctxOf = (states: NodeState[]) => ({ states }) as unknown as RunContext;

describe("the first server's snapshot from its facts round trip", () => {
  it('is used while nothing changed on that server, and not once something did or it rebooted', () => {
    expect(serverSnapshot(state({ serverSnapshot: snapshot }))).toBe(snapshot);
    expect(serverSnapshot(state({ serverSnapshot: snapshot, changes: 1 }))).toBeUndefined();
    expect(serverSnapshot(state({ serverSnapshot: snapshot, rebooted: true }))).toBeUndefined();
    expect(serverSnapshot(state())).toBeUndefined();
  });

  it('gives its node list only while no node of the run changed', () => {
    const server = state({ serverSnapshot: snapshot });
    const agent = state();
    expect(snapshotNodesJson(ctxOf([server, agent]), server)).toBe(snapshot.nodesJson);
    agent.changes = 1;
    expect(snapshotNodesJson(ctxOf([server, agent]), server)).toBeUndefined();
  });
});
