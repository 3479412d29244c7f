import { describe, expect, it } from 'vitest';
import { buildStateCommand, parseStateOutput } from '../../src/addons/files.js';
import { renderCertManager } from '../../src/addons/cert-manager.js';
import { addonListRows, addonStatusRows, statusQueries } from '../../src/addons/status.js';
import { AddonsSchema } from '../../src/inventory/schema.js';
import { askCluster } from '../../src/phases/addon-wait.js';
import { installAddons } from '../../src/phases/addons.js';
import { testContext, testInventory } from '../phases/fixtures.js';
import { cli } from '../cli/harness.js';
import { FakeClusterServer } from './fake-cluster.js';

const cluster = { architectures: ['amd64'], serverIp: '10.77.9.10', k3sVersion: 'v1.34.2+k3s1', nodes: [], dataDir: '/var/lib/rancher/k3s' };

describe('kbootstrap addons list', () => {
  it('shows state, pinned or default version and needs, from the inventory alone', () => {
    const addons = AddonsSchema.parse({ 'cert-manager': { version: 'v1.20.2' }, 'knative-serving': { tls: true }, 'knative-eventing': { enabled: false }, openwhisk: {} });
    expect(addonListRows(addons, (n) => n !== 'openwhisk')).toEqual([
      ['cert-manager', 'enabled', 'v1.20.2 (pinned)', ''],
      ['knative-serving', 'enabled', 'v1.23.0 (default)', 'cert-manager'],
      ['knative-eventing', 'disabled', 'v1.23.0 (default)', ''],
      ['openwhisk', 'enabled (not installed by this kbootstrap yet)', '(default)', ''],
    ]);
  });

  it('is wired as `kbootstrap addons list|status`', async () => {
    for (const what of ['list', 'status'] as const) {
      const { code, calls } = await cli(['addons', what]);
      expect(code).toBe(0);
      expect(calls.map((c) => [c.name, c.opts])).toEqual([['addons', { what }]]);
    }
  });
});

describe('kbootstrap addons status', () => {
  it('reads files and readiness in one round trip and says what is wrong', async () => {
    const server = new FakeClusterServer();
    const inv = testInventory(`
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
nodes: [{ name: kmaster, role: server, address: 10.77.9.100, staticIp: 10.77.9.10 }]
addons: { cert-manager: { email: ops@example.org } }
`);
    const ctx = testContext(inv, async () => server);
    ctx.offline = true;
    ctx.states[0]!.transport = server;
    await installAddons(ctx, ctx.states[0]!);
    server.overrides.set('deployment cert-manager/cert-manager-webhook', { status: { conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] } });

    const renders = [renderCertManager({ addons: inv.raw.addons, cluster })];
    const before = server.stats.execs;
    const answers = await askCluster(ctx.states[0]!, statusQueries(renders), buildStateCommand('/var/lib/rancher/k3s/server/manifests'));
    expect(server.stats.execs - before).toBe(1);
    expect(addonStatusRows(renders, parseStateOutput(answers.get(-1)!.output), answers)).toEqual([
      ['cert-manager', 'v1.21.0', '1/1', '7/8', 'not ready', 'Deployment cert-manager/cert-manager-webhook: MinimumReplicasUnavailable: Deployment does not have minimum availability.'],
    ]);
    // An addon taken out of the inventory shows as left over until the next init removes it.
    const state = parseStateOutput(answers.get(-1)!.output);
    expect(addonStatusRows([], state, new Map())).toEqual([['cert-manager', '', '1 left', '', 'not in the inventory', 'the next init removes it (after a yes)']]);
  });
});
