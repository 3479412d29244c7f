import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../../src/errors.js';
import type { LogEvent } from '../../../src/log/events.js';
import { installAddons } from '../../../src/phases/addons.js';
import { addonsPreflightPhase } from '../../../src/phases/addons-preflight.js';
import { makeFacts } from '../../support/facts-factory.js';
import { testContext, testInventory } from '../../phases/fixtures.js';
import { FakeClusterServer } from '../fake-cluster.js';
import { knativeReleaseFiles, startReleaseMirror, type ReleaseMirror } from '../release-mirror.js';

/**
 * Kafka (1 node, ephemeral), the Knative Kafka broker and OpenWhisk through the addon engine, over the
 * engine's fake first server (not k3s: it answers the engine's kubectl reads). The lab version of this
 * waits for the stand-in to run HelmCharts.
 */
const MANIFESTS = '/var/lib/rancher/k3s/server/manifests';
const GUEST = '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:test-guest-key';
const BROKER_TAG = 'knative-v1.23.0';
let mirror: ReleaseMirror;
let cache: string;

beforeAll(async () => {
  const doc = (name: string) => `# stand-in release file ${name}\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: standin-${name.replace(/\W/g, '-')}, namespace: knative-eventing }\n`;
  const broker = Object.fromEntries(
    ['eventing-kafka-controller.yaml', 'eventing-kafka-broker.yaml'].map((f) => [`/knative-extensions/eventing-kafka-broker/releases/download/${BROKER_TAG}/${f}`, doc(f)]),
  );
  mirror = await startReleaseMirror({ ...knativeReleaseFiles(), ...broker });
  cache = mkdtempSync(join(tmpdir(), 'kb-kafka-cache-'));
});
afterAll(async () => {
  await mirror.close();
  rmSync(cache, { recursive: true, force: true });
});

const sums = (files: string[]) => `{ ${files.map((f) => `${f}: ${mirror.sums[f]}`).join(', ')} }`;
function inventory(openwhisk = '{}', kafka = `{ knativeBroker: true, timeout: 10, mirror: ${mirror.url}, checksums: ${sums(['eventing-kafka-controller.yaml', 'eventing-kafka-broker.yaml'])} }`): string {
  return `
cluster: { name: testlab }
ssh: { user: pi, password: { env: TEST_PI_PASSWORD } }
network: { prefix: 24, gateway: 10.77.9.1 }
k3s: { version: v1.34.2+k3s1, binary: { cacheDir: ${cache} } }
nodes:
  - { name: kmaster, role: server, address: 10.77.9.100, staticIp: 10.77.9.10 }
  - { name: knode1, role: agent, address: 10.77.9.101, staticIp: 10.77.9.11 }
addons:
  knative-eventing: { mirror: ${mirror.url}, checksums: ${sums(['eventing-crds.yaml', 'eventing-core.yaml', 'in-memory-channel.yaml', 'mt-channel-broker.yaml'])} }
  kafka: ${kafka}
  openwhisk: ${openwhisk}
`;
}

function context(text: string, server: FakeClusterServer, opts: { dryRun?: boolean; arch?: string } = {}) {
  const ctx = testContext(testInventory(text), async () => server, opts.dryRun ?? false);
  ctx.offline = true; // the registries: test/addons/openwhisk/image-check.test.ts
  ctx.states.forEach((s, i) => {
    s.transport = i === 0 ? server : new FakeClusterServer(s.node.name);
    s.facts = makeFacts({ arch: opts.arch ?? 'x86_64', memory: { totalMb: 3796, availableMb: 3000 } });
  });
  return ctx;
}

/** The fake cluster as a healthy Strimzi and OpenWhisk leave it. */
function healthy(server: FakeClusterServer): FakeClusterServer {
  server.overrides.set('kafkas.kafka.strimzi.io kafka/my-cluster', { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  server.probes.set('secret openwhisk/openwhisk-whisk.auth', Buffer.from(GUEST).toString('base64'));
  return server;
}

const changes = (events: LogEvent[]) => events.flatMap((e) => (e.kind === 'change' ? [e.description] : []));
const texts = (events: LogEvent[]) => events.map((e) => JSON.stringify(e));

describe('Kafka, the Kafka broker and OpenWhisk through the addon engine', () => {
  it('writes their files on the first server only, in order, re-applies the broker config after the release, ends with the wsk line', async () => {
    const server = healthy(new FakeClusterServer());
    const ctx = context(inventory(), server);
    await installAddons(ctx, ctx.states[0]!);
    expect(ctx.states[0]!.error).toBeUndefined();
    const files = [...server.files.keys()].filter((p) => p.startsWith(MANIFESTS)).map((p) => p.slice(MANIFESTS.length + 1));
    expect(files.filter((f) => !f.startsWith('knative-'))).toEqual([
      'kafka-operator.yaml',
      'kafka-cluster.yaml',
      'kafka-knative-broker-config.yaml',
      'kafka-eventing-controller.yaml',
      'kafka-eventing-data-plane.yaml',
      'openwhisk.yaml',
    ]);
    expect(files.indexOf('knative-eventing-broker.yaml')).toBeLessThan(files.indexOf('kafka-operator.yaml'));
    expect((ctx.states[1]!.transport as FakeClusterServer).commands).toEqual([]);
    // The operator and its CRDs were asked about before the cluster file was written.
    const crdAt = server.kubectl.findIndex((a) => a.includes('kafkanodepools.kafka.strimzi.io'));
    expect(crdAt).toBeGreaterThan(-1);
    expect(server.stdins.find((s) => s.includes('kafka-broker-config'))).toContain('my-cluster-kafka-bootstrap.kafka:9092');
    const lines = ctx.log.events.flatMap((e) => (e.kind === 'node-step' && e.phase === 'addons' ? [e.text] : []));
    expect(lines).toEqual([expect.stringMatching(/^knative-eventing .*ready/), expect.stringMatching(/^kafka 1\.2\.0: ready/), expect.stringMatching(/^openwhisk 1\.0\.0: ready/)]);
    const wsk = texts(ctx.log.events).filter((t) => t.includes(GUEST));
    expect(wsk).toHaveLength(1);
    expect(wsk[0]).toContain(`wsk property set --apihost 10.77.9.10:31001 --auth ${GUEST}`);
  });

  it('plans exactly what it then does; a re-run changes nothing', async () => {
    const planned = context(inventory(), healthy(new FakeClusterServer()), { dryRun: true });
    await installAddons(planned, planned.states[0]!);
    const server = healthy(new FakeClusterServer());
    const run = context(inventory(), server);
    await installAddons(run, run.states[0]!);
    expect(changes(run.log.events)).toEqual(changes(planned.log.events));
    const writes = server.writes.length;
    const again = context(inventory(), server);
    await installAddons(again, again.states[0]!);
    expect(changes(again.log.events)).toEqual([]);
    expect(server.writes.length).toBe(writes);
  });

  it('a Kafka that does not become Ready: exit 3 naming kafka and Strimzi\'s reason; OpenWhisk still installs', async () => {
    const server = healthy(new FakeClusterServer());
    server.overrides.set('kafkas.kafka.strimzi.io kafka/my-cluster', {
      status: { conditions: [{ type: 'NotReady', status: 'True', reason: 'InvalidResourceException', message: 'Node pool dual-role has no storage' }] },
    });
    const ctx = context(inventory(), server);
    await installAddons(ctx, ctx.states[0]!);
    const err = ctx.states[0]!.error as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(ExitCode.partialFailure);
    expect(err.message).toMatch(/kafka \(kafkas\.kafka\.strimzi\.io kafka\/my-cluster: not ready after 10 s: no Ready condition; NotReady: InvalidResourceException: Node pool dual-role has no storage\)/);
    expect(err.message).not.toContain('openwhisk');
    expect(server.files.has(`${MANIFESTS}/openwhisk.yaml`)).toBe(true);
  }, 30_000);

  it('arm64 nodes with the default OpenWhisk images: refused before any change, naming components and keys', async () => {
    const server = healthy(new FakeClusterServer());
    const ctx = context(inventory(), server, { arch: 'aarch64' });
    const err = await addonsPreflightPhase.run(ctx, [ctx.states[0]!]).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/nothing was changed:\nopenwhisk: OpenWhisk: the cluster has arm64 nodes/);
    for (const c of ['controller', 'invoker', 'utility', 'apigw']) expect((err as UserError).message).toContain(`set addons.openwhisk.images.${c}.imageName and .imageTag`);
    expect(server.writes).toEqual([]);
    expect(server.commands).toEqual([]);
    const images = Object.fromEntries(['controller', 'invoker', 'utility', 'apigw'].map((c) => [c, `{ imageName: ghcr.io/kb/${c}, imageTag: arm64 }`]));
    const ok = context(inventory(`{ images: { ${Object.entries(images).map(([k, v]) => `${k}: ${v}`).join(', ')} } }`), server, { arch: 'aarch64' });
    await expect(addonsPreflightPhase.run(ok, [ok.states[0]!])).resolves.toBeUndefined();
  });

  it('the Kafka broker with no sha256 for its release files: refused before any change, naming each file, its key and the command', async () => {
    const server = healthy(new FakeClusterServer());
    const ctx = context(inventory('{}', `{ knativeBroker: true, mirror: ${mirror.url} }`), server);
    const requestsBefore = mirror.requests.length;
    const err = await addonsPreflightPhase.run(ctx, [ctx.states[0]!]).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const { message, hint } = err as UserError;
    expect(message).toMatch(/nothing was changed:\nkafka: the Knative Kafka broker knative-v1\.23\.0: kbootstrap records no sha256 for 2 release file\(s\)/);
    for (const f of ['eventing-kafka-controller.yaml', 'eventing-kafka-broker.yaml']) expect(message).toContain(`${mirror.url}${'/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0/'}${f}): set addons.kafka.checksums["${f}"]`);
    expect(hint).toContain('`npx tsx scripts/addon-checksums.ts`');
    expect(server.writes).toEqual([]);
    expect(server.commands).toEqual([]);
    expect(mirror.requests.slice(requestsBefore)).toEqual([]);
  });
});
