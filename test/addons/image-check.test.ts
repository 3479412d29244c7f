import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { installAddons } from '../../src/phases/addons.js';
import { makeFacts } from '../support/facts-factory.js';
import { registryUnavailable, startRegistry, type LocalRegistry } from '../support/registry.js';
import { testContext, testInventory } from '../phases/fixtures.js';
import { FakeClusterServer } from './fake-cluster.js';

/**
 * The addon engine asks the image check before anything is applied, against a real docker-registry on
 * loopback holding cert-manager's image names (multi-arch), one of them amd64 only.
 */
const skip = registryUnavailable();
describe.skipIf(skip !== undefined)(`the addon engine's image check ${skip ?? ''}`, () => {
  let registry: LocalRegistry;
  let cache: string;
  beforeAll(async () => {
    registry = await startRegistry();
    for (const c of ['controller', 'webhook', 'cainjector', 'startupapicheck']) await registry.pushRef(`quay.io/jetstack/cert-manager-${c}:v1.21.0`, ['linux/amd64', 'linux/arm64']);
    await registry.pushRef('quay.io/jetstack/cert-manager-acmesolver:v1.21.0', ['linux/amd64']);
    cache = mkdtempSync(join(tmpdir(), 'kb-imgcheck-'));
    process.env.KBOOTSTRAP_IMAGE_MIRRORS = JSON.stringify(registry.mirrors('quay.io'));
  }, 60_000);
  afterAll(async () => {
    delete process.env.KBOOTSTRAP_IMAGE_MIRRORS;
    await registry?.stop();
    rmSync(cache, { recursive: true, force: true });
  });

  const context = (arch: string, offline = false) => {
    const server = new FakeClusterServer();
    const inv = testInventory(`
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
k3s: { binary: { cacheDir: ${cache} } }
nodes: [{ name: kmaster, role: server, address: 10.77.9.100 }]
addons: { cert-manager: { email: ops@example.org } }
`);
    const ctx = testContext(inv, async () => server);
    ctx.offline = offline;
    ctx.states[0]!.transport = server;
    ctx.states[0]!.facts = makeFacts({ arch });
    return { ctx, server };
  };

  it('refuses an image that lacks a node architecture, naming the override key, before anything is written', async () => {
    const { ctx, server } = context('aarch64');
    const err = await installAddons(ctx, ctx.states[0]!).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('cert-manager-acmesolver');
    expect((err as UserError).hint).toContain('addons.cert-manager.values.acmesolver.image.repository');
    expect(server.writes).toEqual([]);
    const table = ctx.log.events.find((e) => e.kind === 'table');
    expect(table && table.kind === 'table' && table.rows.length).toBe(5);
  });

  it('passes amd64 nodes, and --offline skips the check with a warning', async () => {
    const amd = context('x86_64');
    await installAddons(amd.ctx, amd.ctx.states[0]!);
    expect(amd.ctx.states[0]!.error).toBeUndefined();
    expect(amd.server.files.has('/var/lib/rancher/k3s/server/manifests/cert-manager.yaml')).toBe(true);

    const off = context('aarch64', true);
    await installAddons(off.ctx, off.ctx.states[0]!);
    expect(off.ctx.states[0]!.error).toBeUndefined();
    expect(off.ctx.log.events).toContainEqual(expect.objectContaining({ kind: 'message', level: 'warn', text: expect.stringMatching(/^offline: the image check was skipped/) }));
  });
});
