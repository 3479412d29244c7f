import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import type { LogEvent } from '../../src/log/events.js';
import { installAddons } from '../../src/phases/addons.js';
import { makeFacts } from '../support/facts-factory.js';
import { testContext, testInventory } from '../phases/fixtures.js';
import { FakeClusterServer } from './fake-cluster.js';
import { knativeReleaseFiles, startReleaseMirror, type ReleaseMirror } from './release-mirror.js';

const MANIFESTS = '/var/lib/rancher/k3s/server/manifests';
let mirror: ReleaseMirror;
let cache: string;

beforeAll(async () => {
  mirror = await startReleaseMirror(knativeReleaseFiles());
  cache = mkdtempSync(join(tmpdir(), 'kb-addons-cache-'));
});
afterAll(async () => {
  await mirror.close();
  rmSync(cache, { recursive: true, force: true });
});

function inventory(addons: string): string {
  const sums = (files: string[]) => `{ ${files.map((f) => `${f}: ${mirror.sums[f]}`).join(', ')} }`;
  return `
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
k3s: { version: v1.34.2+k3s1, binary: { cacheDir: ${cache} } }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100, staticIp: 10.77.9.10 }
  - { name: knode1, role: agent, address: 10.77.9.101, staticIp: 10.77.9.11 }
addons:
${addons
  .replace('@SERVING@', `mirror: ${mirror.url}, checksums: ${sums(['serving-crds.yaml', 'serving-core.yaml', 'kourier.yaml'])}`)
  .replace('@EVENTING@', `mirror: ${mirror.url}, checksums: ${sums(['eventing-crds.yaml', 'eventing-core.yaml', 'in-memory-channel.yaml', 'mt-channel-broker.yaml'])}`)}
`;
}

const ALL = `
  cert-manager: { email: ops@example.org }
  knative-serving: { @SERVING@ }
  knative-eventing: { @EVENTING@ }
`;

function context(text: string, server: FakeClusterServer, dryRun = false) {
  const ctx = testContext(testInventory(text), async (n) => server, dryRun);
  ctx.offline = true; // the image check has its own test below (image-check.test.ts)
  ctx.states.forEach((s, i) => {
    s.transport = i === 0 ? server : new FakeClusterServer(s.node.name);
    s.facts = makeFacts({ arch: 'x86_64', memory: { totalMb: 3796, availableMb: 3000 } });
  });
  return ctx;
}

const changes = (events: LogEvent[]) => events.flatMap((e) => (e.kind === 'change' ? [e.description] : []));
const written = (server: FakeClusterServer) =>
  server.commands.flatMap((c) => (c.startsWith('upload ') ? [c.split(' ')[2]!.split('/').pop()!] : [])).concat(server.writes.map((w) => w.path.split('/').pop()!));

describe('addon engine over a fake first server', () => {
  it('writes every file on the first server in dependency order, waits, then runs the steps', async () => {
    const server = new FakeClusterServer();
    const ctx = context(inventory(ALL), server);
    await installAddons(ctx, ctx.states[0]!);
    expect(ctx.states[0]!.error).toBeUndefined();
    const files = [...server.files.keys()].filter((p) => p.startsWith(MANIFESTS)).map((p) => p.slice(MANIFESTS.length + 1));
    expect(files).toEqual([
      'cert-manager.yaml',
      'knative-serving-crds.yaml',
      'knative-serving-core.yaml',
      'knative-serving-kourier.yaml',
      'knative-eventing-crds.yaml',
      'knative-eventing-core.yaml',
      'knative-eventing-imc.yaml',
      'knative-eventing-broker.yaml',
    ]);
    // Nothing on the other node.
    expect((ctx.states[1]!.transport as FakeClusterServer).commands).toEqual([]);
    // The issuers are applied after cert-manager's webhook was asked about, and before Knative's files.
    const issuersAt = server.kubectl.findIndex((a) => a[0] === 'apply');
    const webhookAt = server.kubectl.findIndex((a) => a[1] === 'endpoints' && a.includes('cert-manager-webhook'));
    expect(webhookAt).toBeGreaterThan(-1);
    expect(issuersAt).toBeGreaterThan(webhookAt);
    expect(server.stdins.join('\n')).toContain('letsencrypt-prod');
    expect(server.kubectl.filter((a) => a[0] === 'patch').map((a) => a[2])).toEqual(['config-network', 'config-domain']);
    expect(JSON.parse(server.kubectl.find((a) => a[2] === 'config-domain')!.at(-1)!).data).toEqual({ '10.77.9.10.sslip.io': '' });
    expect(server.files.get('/var/lib/kbootstrap/addons.json')).toContain('"knative-eventing-broker.yaml": "knative-eventing"');
    const lines = ctx.log.events.flatMap((e) => (e.kind === 'node-step' && e.phase === 'addons' ? [e.text] : []));
    expect(lines).toEqual([expect.stringMatching(/^cert-manager v1\.21\.0: ready/), expect.stringMatching(/^knative-serving v1\.23\.0: ready/), expect.stringMatching(/^knative-eventing v1\.23\.0: ready/)]);
  });

  it('plans exactly the changes it then makes, and a re-run changes nothing', async () => {
    const planned = context(inventory(ALL), new FakeClusterServer(), true);
    await installAddons(planned, planned.states[0]!);
    const planServer = planned.states[0]!.transport as FakeClusterServer;
    expect(planServer.writes).toEqual([]);
    expect(planServer.commands.filter((c) => c.startsWith('upload'))).toEqual([]);

    const server = new FakeClusterServer();
    const run = context(inventory(ALL), server);
    await installAddons(run, run.states[0]!);
    expect(changes(run.log.events)).toEqual(changes(planned.log.events));
    expect(changes(run.log.events).length).toBe(8 + 3 + 1);

    const before = { execs: server.stats.execs, writes: server.writes.length };
    const again = context(inventory(ALL), server);
    await installAddons(again, again.states[0]!);
    expect(changes(again.log.events)).toEqual([]);
    expect(server.writes.length).toBe(before.writes);
    // One survey + one readiness round per addon.
    expect(server.stats.execs - before.execs).toBe(1 + 3);
  });

  it('a failing HelmChart names the addon, the Job and the reason; exit 3; independent addons still install', async () => {
    const server = new FakeClusterServer();
    server.overrides.set('job kube-system/helm-install-cert-manager', {
      spec: { backoffLimit: 3 },
      status: { failed: 4, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
    });
    const ctx = context(inventory(ALL.replace('knative-serving: { @SERVING@ }', 'knative-serving: { tls: true, domain: fn.example.org, @SERVING@ }')), server);
    await installAddons(ctx, ctx.states[0]!);
    const err = ctx.states[0]!.error as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(ExitCode.partialFailure);
    expect(err.message).toContain('cert-manager (HelmChart kube-system/cert-manager (Job kube-system/helm-install-cert-manager): BackoffLimitExceeded: Job has reached the specified backoff limit)');
    expect(err.message).toContain('knative-serving (skipped: it needs cert-manager, which failed)');
    expect(err.message).not.toContain('knative-eventing');
    expect([...server.files.keys()].some((p) => p.endsWith('knative-eventing-broker.yaml'))).toBe(true);
    expect([...server.files.keys()].some((p) => p.endsWith('knative-serving-core.yaml'))).toBe(false);
    // Nothing of cert-manager was undone.
    expect(server.files.has(`${MANIFESTS}/cert-manager.yaml`)).toBe(true);
  });

  it('removes the files of an addon taken out of the inventory after a yes, cores before CRDs, and only then', async () => {
    const server = new FakeClusterServer();
    const first = context(inventory(ALL), server);
    await installAddons(first, first.states[0]!);
    const without = inventory(ALL.replace('  knative-eventing: { @EVENTING@ }\n', ''));

    const refused = context(without, server);
    refused.confirm = async () => false;
    await installAddons(refused, refused.states[0]!);
    expect(changes(refused.log.events)).toEqual([]);
    expect(refused.log.events).toContainEqual(expect.objectContaining({ level: 'warn', text: expect.stringContaining('left in place') }));

    const asked: string[] = [];
    const yes = context(without, server);
    yes.confirm = async (s) => (asked.push(s), true);
    await installAddons(yes, yes.states[0]!);
    expect(asked).toHaveLength(1);
    expect(changes(yes.log.events)).toEqual([
      ...['broker', 'imc', 'core', 'crds'].map((p) => `remove ${MANIFESTS}/knative-eventing-${p}.yaml (addon knative-eventing is no longer in the inventory), then delete its objects`),
      'record the addon files in /var/lib/kbootstrap/addons.json',
    ]);
    expect([...server.files.keys()].filter((p) => p.includes('knative-eventing'))).toEqual([]);
    expect(server.files.get('/var/lib/kbootstrap/addons.json')).not.toContain('knative-eventing');
  });

  it('refuses a release file it has no sha256 for, naming the file and the setting that pins it', async () => {
    const server = new FakeClusterServer();
    const ctx = context(inventory(`  knative-eventing: { mirror: ${mirror.url} }\n`), server);
    await installAddons(ctx, ctx.states[0]!);
    expect(ctx.states[0]!.error?.message).toContain('kbootstrap records no sha256 for');
    expect(ctx.states[0]!.error?.message).toContain('eventing-crds.yaml');
    expect(server.commands.some((c) => c.startsWith('upload'))).toBe(false);
  });

  it('reads a local chart for an air-gapped site, and names the setting when the file is missing', async () => {
    writeFileSync(join(cache, 'cm.tgz'), 'chart bytes');
    const server = new FakeClusterServer();
    const ctx = context(inventory(`  cert-manager: { chartFile: ${join(cache, 'cm.tgz')} }\n`), server);
    await installAddons(ctx, ctx.states[0]!);
    expect(server.files.get(`${MANIFESTS}/cert-manager.yaml`)).toContain(`chartContent: ${Buffer.from('chart bytes').toString('base64')}`);
    const missing = context(inventory(`  cert-manager: { chartFile: ${join(cache, 'nope.tgz')} }\n`), new FakeClusterServer());
    await expect(installAddons(missing, missing.states[0]!)).rejects.toThrow(/addons\.cert-manager\.chartFile .*nope\.tgz cannot be read \(ENOENT\)/);
  });

  it('keeps the Cloudflare API token out of every event and command line', async () => {
    const token = 'cf-token-7f3a9c0d1e2b4a5f';
    process.env.KB_TEST_CF_TOKEN = token;
    try {
      const server = new FakeClusterServer();
      const ctx = context(inventory('  cert-manager: { email: ops@example.org, challenge: dns01-cloudflare, cloudflareApiToken: { env: KB_TEST_CF_TOKEN } }\n'), server);
      await installAddons(ctx, ctx.states[0]!);
      expect(ctx.states[0]!.error).toBeUndefined();
      expect(JSON.stringify(ctx.log.events)).not.toContain(token);
      expect(server.commands.join('\n')).not.toContain(token);
      expect(server.stdins.some((s) => s.includes(token) && s.includes('kind: Secret'))).toBe(true);
      expect(changes(ctx.log.events)).toContain('store the Cloudflare API token as Secret cert-manager/cloudflare-api-token (addon cert-manager)');
    } finally {
      delete process.env.KB_TEST_CF_TOKEN;
    }
  });
});
