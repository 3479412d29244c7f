import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab.js';
import { startReleaseMirror, type ReleaseMirror } from '../addons/release-mirror.js';
import { standinKnativeFiles } from './addon-standin-files.js';
import { STANDIN_CHARTS, STANDIN_GUEST_KEY, standinKafkaBrokerFiles } from './kafka-standin-files.js';
import { changesOf, kbootstrap, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1'];
const MANIFESTS = '/var/lib/rancher/k3s/server/manifests';
const KAFKA_FILES = ['kafka-operator.yaml', 'kafka-cluster.yaml', 'kafka-knative-broker-config.yaml', 'kafka-eventing-controller.yaml', 'kafka-eventing-data-plane.yaml'];
/**
 * amd64 nodes by default; KBOOTSTRAP_LAB_ARCH=arm64 runs the same file on emulated arm64 nodes (the issue
 * asks arm64: there the refusal and NotReady cases have passed, the others are not yet confirmed).
 */
const ARCH: 'arm64' | 'amd64' = process.env.KBOOTSTRAP_LAB_ARCH === 'arm64' ? 'arm64' : 'amd64';
const ARM_IMAGES = Object.fromEntries(['controller', 'invoker', 'utility', 'apigw'].map((c) => [c, { imageName: `ghcr.io/kb/openwhisk-${c}`, imageTag: 'arm64' }]));

const addonChanges = (run: CliRun) => (changesOf(run.events)['kmaster'] ?? []).filter((c) => c.includes('(addon ') || c.includes('addons.json'));
const addonLines = (run: CliRun) => run.events.flatMap((e) => (e.kind === 'node-step' && e.phase === 'addons' ? [e.text] : []));

/**
 * `init` with Kafka (1 node, ephemeral), the Knative Kafka broker and OpenWhisk (arm64 image overrides)
 * on 2 lab nodes. The cluster is the lab's k3s stand-in (not Kubernetes): the helm controller, Strimzi's
 * status of the Kafka and the workloads are stand-ins; release files come from a loopback mirror of
 * stand-in files. The runs skip the image check (--offline: no registry is reachable here); the loopback
 * registry test in test/addons/openwhisk/image-check.test.ts covers it.
 */
describe.skipIf(!isRoot)(`Kafka, the Kafka broker and OpenWhisk on ${ARCH} lab nodes with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let mirror: ReleaseMirror;
  let env: Record<string, string>;
  const addons = (kafka: object = {}, openwhisk: object = { images: ARM_IMAGES }) => (i: Record<string, unknown>) => {
    i.k3s = { ...(i.k3s as object), version: 'v1.34.3+k3s3' };
    const sums = (names: string[]) => Object.fromEntries(names.map((n) => [n, mirror.sums[n]]));
    i.addons = {
      'knative-eventing': { checksums: sums(['eventing-crds.yaml', 'eventing-core.yaml', 'in-memory-channel.yaml', 'mt-channel-broker.yaml']), timeout: 120 },
      kafka: { knativeBroker: true, replicas: 1, storage: { type: 'ephemeral' }, checksums: sums(['eventing-kafka-controller.yaml', 'eventing-kafka-broker.yaml']), timeout: 20, ...kafka },
      openwhisk: { timeout: 120, ...openwhisk },
    };
  };
  const init = (file: string) => kbootstrap(['init', '-i', file, '--yes', '--skip-prepare', '--offline', '--json'], env);
  const sh = async (node: string, cmd: string) => (await lab.exec(node, cmd)).stdout;

  let plan: CliRun;
  let first: CliRun;
  let second: CliRun;

  beforeAll(async () => {
    [lab, release, mirror] = await Promise.all([
      startLab({ nodes: NODES.map((name) => ({ name, variant: 'trixie', arch: ARCH })) }),
      startStandinRelease(),
      startReleaseMirror({ ...standinKnativeFiles(), ...standinKafkaBrokerFiles() }),
    ]);
    await Promise.all(NODES.map((n) => lab.waitForSsh(n)));
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

  it.skipIf(ARCH !== 'arm64')('the default OpenWhisk images on arm64 nodes: plan and init refuse before any change', async () => {
    const inv = await writeLabInventory(lab, { staticIps: false }, addons({}, {}));
    const before = await sh('kmaster', `ls ${MANIFESTS}; cat /var/lib/kbootstrap/addons.json`);
    for (const cmd of ['plan', 'init']) {
      const run = await kbootstrap([cmd, '-i', inv.file, ...(cmd === 'init' ? ['--yes', '--skip-prepare'] : []), '--offline', '--json'], env);
      expect(run.code, run.stdout.slice(-2000)).toBe(1);
      expect(run.stdout).toContain('nothing was changed');
      for (const c of ['controller', 'invoker', 'utility', 'apigw']) expect(run.stdout).toContain(`addons.openwhisk.images.${c}`);
      expect(changesOf(run.events)).toEqual({});
    }
    expect(await sh('kmaster', `ls ${MANIFESTS}; cat /var/lib/kbootstrap/addons.json`)).toBe(before);
  });
});
