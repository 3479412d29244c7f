import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab.js';
import { startReleaseMirror, type ReleaseMirror } from '../addons/release-mirror.js';
import { standinKnativeFiles } from './addon-standin-files.js';
import { STANDIN_CHARTS, STANDIN_GUEST_KEY, standinKafkaBrokerFiles } from './kafka-standin-files.js';
import { changesOf, kbootstrap, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';
import { checkImages, formatImageTable, IMAGE_MARK, imageTable, normaliseArchitecture } from '../../src/addons/images/index.js';
import { openwhiskAddon } from '../../src/addons/openwhisk/index.js';
import { OPENWHISK_COMPONENTS } from '../../src/inventory/schema-addons-stream.js';
import { cluster, input } from '../addons/kafka/cluster.js';
import { startRegistry, type TestImageSpec } from '../support/registry.js';

const NODES = ['kmaster', 'knode1'];
const MANIFESTS = '/var/lib/rancher/k3s/server/manifests';
const KAFKA_FILES = ['kafka-operator.yaml', 'kafka-cluster.yaml', 'kafka-knative-broker-config.yaml', 'kafka-eventing-controller.yaml', 'kafka-eventing-data-plane.yaml'];
/**
 * amd64 nodes by default; KBOOTSTRAP_LAB_ARCH=arm64 runs the same file on emulated arm64 nodes, as the issue
 * asks (all five cases pass there). Not the default because of its time on the shared 2-core machine:
 * 13 min 10 s wall at load ~10 (first init 429 s, second 174 s, the NotReady run 115 s), 29 min 38 s at
 * load 15-18 (first init 922 s, second 205 s, NotReady 397 s): every kubectl the stand-in answers is a
 * python3 under qemu-user. amd64 (with the one arm64 agent below): 3 min 58 s.
 */
const ARCH: 'arm64' | 'amd64' = process.env.KBOOTSTRAP_LAB_ARCH === 'arm64' ? 'arm64' : 'amd64';
/**
 * On amd64 an emulated arm64 node boots too, for the refusal case alone (a cluster with an arm64 agent):
 * the other cases' inventories leave it out. On arm64 every node is one already.
 */
const ARM_NODE = ARCH === 'arm64' ? 'kmaster' : 'karm';
const LAB_NODES = ARCH === 'arm64' ? NODES : [...NODES, ARM_NODE];
const ARM_IMAGES = Object.fromEntries(['controller', 'invoker', 'utility', 'apigw'].map((c) => [c, { imageName: `ghcr.io/kb/openwhisk-${c}`, imageTag: 'arm64' }]));

/** The amd64-only defaults the chart runs with providers off (the event providers are the other two). */
const AMD64_ONLY = OPENWHISK_COMPONENTS.filter((c) => c.amd64Only && !c.component.endsWith('provider'));

const addonChanges = (run: CliRun) => (changesOf(run.events)['kmaster'] ?? []).filter((c) => c.includes('(addon ') || c.includes('addons.json'));
const addonLines = (run: CliRun) => run.events.flatMap((e) => (e.kind === 'node-step' && e.phase === 'addons' ? [e.text] : []));

/**
 * `init` with Kafka (1 node, ephemeral), the Knative Kafka broker and OpenWhisk (arm64 image overrides)
 * on 2 lab nodes. The cluster is the lab's k3s stand-in (not Kubernetes): the helm controller, Strimzi's
 * status of the Kafka and the workloads are stand-ins; release files come from a loopback mirror of
 * stand-in files. The runs skip the image check (--offline: no upstream registry is reachable here); the
 * refusal case asks a real registry on loopback (docker-registry, scripts/install-deps.sh) for the default
 * images itself, and test/addons/openwhisk/image-check.test.ts covers the overrides.
 */
describe.skipIf(!isRoot)(`Kafka, the Kafka broker and OpenWhisk on ${ARCH} lab nodes with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let mirror: ReleaseMirror;
  let env: Record<string, string>;
  const addons = (kafka: object = {}, openwhisk: object = { images: ARM_IMAGES }, nodes = NODES) => (i: Record<string, unknown>) => {
    i.k3s = { ...(i.k3s as object), version: 'v1.34.3+k3s3' };
    i.nodes = (i.nodes as { name: string }[]).filter((n) => nodes.includes(n.name));
    const sums = (names: string[]) => Object.fromEntries(names.map((n) => [n, mirror.sums[n]]));
    i.addons = {
      'knative-eventing': { checksums: sums(['eventing-crds.yaml', 'eventing-core.yaml', 'in-memory-channel.yaml', 'mt-channel-broker.yaml']), timeout: 120 },
      kafka: { knativeBroker: true, replicas: 1, storage: { type: 'ephemeral' }, checksums: sums(['eventing-kafka-controller.yaml', 'eventing-kafka-broker.yaml']), timeout: 20, ...kafka },
      openwhisk: { timeout: 120, ...openwhisk },
    };
  };
  const init = (file: string) => kbootstrap(['init', '-i', file, '--yes', '--skip-prepare', '--offline', '--json'], env);
  const sh = async (node: string, cmd: string) => (await lab.exec(node, cmd)).stdout;
  /** sha256 of every file kbootstrap writes or could write on each node (config, units, binaries, boot files, manifests, its state). */
  const NODE_TREES = ['/etc', '/boot', '/usr/local', '/home/pi/.ssh', '/var/lib/kbootstrap', MANIFESTS];
  const nodeFiles = async () =>
    Object.fromEntries(await Promise.all(LAB_NODES.map(async (n) => [n, await sh(n, `find ${NODE_TREES.join(' ')} -xdev -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum`)] as const)));

  let plan: CliRun;
  let first: CliRun;
  let second: CliRun;

  beforeAll(async () => {
    [lab, release, mirror] = await Promise.all([
      startLab({ nodes: LAB_NODES.map((name) => ({ name, variant: 'trixie', arch: name === ARM_NODE ? 'arm64' : ARCH })) }),
      startStandinRelease(),
      startReleaseMirror({ ...standinKnativeFiles(), ...standinKafkaBrokerFiles() }),
    ]);
    await Promise.all(LAB_NODES.map((n) => lab.waitForSsh(n)));
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, KBOOTSTRAP_ADDON_MIRROR_URL: mirror.url, KBOOTSTRAP_ADDON_POLL_MS: '1000' };
    const inv = await writeLabInventory(lab, { staticIps: false }, addons());
    env.XDG_CACHE_HOME = `${inv.dir}/cache`;
    const charts = Object.entries(STANDIN_CHARTS).map(([name, text]) => `cat > /etc/rancher/k3s/standin-charts/${name}.yaml <<'EOF'\n${text}EOF`).join('\n');
    await lab.exec('kmaster', `mkdir -p /etc/rancher/k3s/standin-charts\n${charts}`);
    plan = await kbootstrap(['plan', '-i', inv.file, '--offline', '--json'], env);
    first = await init(inv.file);
    second = await init(inv.file);
    console.log(`kafka/openwhisk lab (${ARCH}): plan ${plan.ms} ms, first init ${first.ms} ms, second init ${second.ms} ms`);
  }, 1_500_000);
  afterAll(async () => {
    await lab?.down();
    await release?.close();
    await mirror?.close();
  });

  it('installs Eventing, Kafka with its broker, and OpenWhisk, a line each, and prints the wsk line', () => {
    expect(first.code, first.stdout.slice(-4000)).toBe(0);
    expect(addonLines(first)).toEqual([expect.stringMatching(/^knative-eventing .*ready/), expect.stringMatching(/^kafka 1\.2\.0: ready/), expect.stringMatching(/^openwhisk 1\.0\.0: ready/)]);
    const wsk = first.stdout.split('\n').filter((l) => l.includes(STANDIN_GUEST_KEY));
    expect(wsk).toHaveLength(1);
    expect(wsk[0]).toMatch(/wsk property set --apihost 10\.77\.\d+\.\d+:31001 --auth /);
  });

  it('writes the files on the first server only, in order, and the stand-in applied each', async () => {
    const written = addonChanges(first).flatMap((c) => /(?:upload|write) (?:\S+\/)?([\w.-]+\.yaml)/.exec(c)?.[1] ?? []);
    expect(written.filter((f) => !f.startsWith('knative-'))).toEqual([...KAFKA_FILES, 'openwhisk.yaml']);
    for (const node of NODES.slice(1)) expect((await sh(node, `ls ${MANIFESTS} 2>/dev/null | grep -c -e kafka -e openwhisk || true`)).trim()).toBe('0');
    const addonsJson = JSON.parse(await sh('kmaster', 'k3s kubectl get addons -n kube-system -o json')) as { items: { metadata: { name: string } }[] };
    for (const f of [...KAFKA_FILES, 'openwhisk.yaml']) expect(addonsJson.items.map((a) => a.metadata.name)).toContain(f.split('.')[0]);
    expect(await sh('kmaster', "k3s kubectl get configmap -n knative-eventing kafka-broker-config -o jsonpath='{.data.default\\.topic\\.replication\\.factor}'")).toBe('1');
    expect(await sh('kmaster', "k3s kubectl get kafkanodepools.kafka.strimzi.io -n kafka dual-role -o jsonpath='{.spec.replicas}'")).toBe('1');
  });

  it('plan listed exactly the addon changes init made; a re-run writes nothing', () => {
    expect(plan.code, plan.stdout.slice(-3000)).toBe(0);
    expect(addonChanges(plan)).toEqual(addonChanges(first));
    expect(second.code, second.stdout.slice(-3000)).toBe(0);
    expect(changesOf(second.events)).toEqual({});
  });

  it('a Kafka the stand-in reports NotReady makes the run exit 3 with Strimzi\'s reason', async () => {
    await lab.exec('kmaster', "echo 'my-cluster: InvalidResourceException: the stand-in refuses this Kafka' > /etc/rancher/k3s/standin-kafka-fail");
    const changed = await writeLabInventory(lab, { staticIps: false }, addons({ replicas: 2 })); // changes the Kafka itself (replication), so it is applied again
    const run = await init(changed.file);
    expect(run.code, run.stdout.slice(-3000)).toBe(3);
    expect(addonLines(run).find((l) => l.startsWith('kafka'))).toMatch(/^kafka 1\.2\.0 failed: kafkas\.kafka\.strimzi\.io kafka\/my-cluster: not ready after 20 s: .*NotReady: InvalidResourceException: the stand-in refuses this Kafka/);
    await lab.exec('kmaster', 'rm -f /etc/rancher/k3s/standin-kafka-fail');
  });

  it(`the default OpenWhisk images with arm64 nodes (${ARCH === 'arm64' ? 'all' : `agent ${ARM_NODE}`}): plan and init refuse before any change, listing each component, its image and key; the loopback image check shows why`, async () => {
    const inv = await writeLabInventory(lab, { staticIps: false }, addons({}, {}, LAB_NODES));
    const before = await nodeFiles();
    for (const n of LAB_NODES) expect(before[n]).toMatch(/ \/etc\/hostname\n/);
    let refused: string[] = [];
    for (const cmd of ['plan', 'init']) {
      const run = await kbootstrap([cmd, '-i', inv.file, ...(cmd === 'init' ? ['--yes', '--skip-prepare'] : []), '--offline', '--json'], env);
      expect(run.code, run.stdout.slice(-2000)).toBe(1);
      const error = run.events.find((e) => e.kind === 'error');
      const lines = error?.kind === 'error' ? error.message.split('\n') : [];
      expect(lines.slice(0, 2)).toEqual([
        'addon(s) refused for this cluster before any change; nothing was changed:',
        "openwhisk: OpenWhisk: the cluster has arm64 nodes, and 4 component image(s) are Apache's amd64-only defaults (apache/openwhisk#5503):",
      ]);
      expect(lines.slice(2)).toEqual(AMD64_ONLY.map((c) => `  ${c.component}: ${c.imageName}:${c.imageTag} (set addons.openwhisk.images.${c.component}.imageName and .imageTag)`));
      expect(changesOf(run.events)).toEqual({});
      expect(addonLines(run)).toEqual([]);
      refused = lines.slice(2).map((l) => l.trim().split(':')[0]!);
    }
    expect(await nodeFiles()).toEqual(before);

    // Why: the image check against a real registry on loopback (the Apache images as the amd64-only
    // manifests they are upstream), for the architecture the node reports.
    const arch = normaliseArchitecture((await sh(ARM_NODE, 'uname -m')).trim());
    expect(arch).toBe('arm64');
    const reg = await startRegistry({
      auth: 'token',
      images: OPENWHISK_COMPONENTS.map((c): TestImageSpec => {
        const repository = c.imageName.includes('/') ? c.imageName : `library/${c.imageName}`;
        return c.amd64Only ? { repository, tag: c.imageTag, format: 'docker-manifest', platform: 'linux/amd64' } : { repository, tag: c.imageTag, format: 'docker-list', platforms: ['linux/amd64', 'linux/arm64/v8'] };
      }),
    });
    try {
      // The images the chart would run (rendered for amd64: on arm64 the render is the refusal above).
      const images = openwhiskAddon.render(input({ openwhisk: {} }, cluster(1, { arch: 'amd64' }))).images;
      const report = await checkImages(images, [arch], { mirrors: reg.mirrors('docker.io'), noCache: true });
      const table = formatImageTable(report);
      console.log(table.join('\n'));
      const { columns, rows } = imageTable(report);
      const marks = Object.fromEntries(rows.map((r) => [r[0], r[columns.indexOf('arm64')]]));
      expect(Object.keys(marks).filter((c) => marks[c] === IMAGE_MARK.no)).toEqual(refused);
      expect(Object.values(marks).filter((m) => m !== IMAGE_MARK.no && m !== IMAGE_MARK.yes)).toEqual([]);
      expect(report.problems.map((p) => [p.kind, p.overrideKey])).toEqual(AMD64_ONLY.map((c) => ['missing-architecture', `addons.openwhisk.images.${c.component}`]));
    } finally {
      await reg.stop();
    }
  });
});
