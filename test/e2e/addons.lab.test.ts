import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/lab.js';
import { startReleaseMirror, type ReleaseMirror } from '../addons/release-mirror.js';
import { STANDIN_CERT_MANAGER_CHART, standinKnativeFiles } from './addon-standin-files.js';
import { changesOf, kbootstrap, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

const NODES = ['kmaster', 'knode1', 'knode2'];
const MANIFESTS = '/var/lib/rancher/k3s/server/manifests';
const ORDER = [
  'cert-manager.yaml',
  'knative-serving-crds.yaml',
  'knative-serving-core.yaml',
  'knative-serving-kourier.yaml',
  'knative-eventing-crds.yaml',
  'knative-eventing-core.yaml',
  'knative-eventing-imc.yaml',
  'knative-eventing-broker.yaml',
];

const addonChanges = (run: CliRun) => (changesOf(run.events)['kmaster'] ?? []).filter((c) => c.includes('(addon ') || c.includes('addons.json'));
const addonLines = (run: CliRun) => run.events.flatMap((e) => (e.kind === 'node-step' && e.phase === 'addons' ? [e.text] : []));

/**
 * `init` with cert-manager, Knative Serving and Eventing on 3 amd64 lab nodes. The cluster is the lab's
 * k3s stand-in (not Kubernetes): its deploy/helm controllers and workloads are stand-ins too; the release
 * files come from a loopback mirror of stand-in files (not Knative's).
 */
describe.skipIf(!isRoot)(`addons on a 3-node lab with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let mirror: ReleaseMirror;
  let env: Record<string, string>;
  let inv: Awaited<ReturnType<typeof writeLabInventory>>;
  const addons = (eventing: boolean, certValues: object = {}) => (i: Record<string, unknown>) => {
    i.k3s = { ...(i.k3s as object), version: 'v1.34.3+k3s3' };
    const sums = (names: string[]) => Object.fromEntries(names.map((n) => [n, mirror.sums[n]]));
    i.addons = {
      'cert-manager': { email: 'ops@example.org', values: certValues, timeout: 120 },
      'knative-serving': { checksums: sums(['serving-crds.yaml', 'serving-core.yaml', 'kourier.yaml']), timeout: 120 },
      ...(eventing ? { 'knative-eventing': { checksums: sums(['eventing-crds.yaml', 'eventing-core.yaml', 'in-memory-channel.yaml', 'mt-channel-broker.yaml']), timeout: 120 } } : {}),
    };
  };
  // --offline: the lab has no internet, so the image check (tested against a loopback registry elsewhere) is skipped.
  const init = (file: string) => kbootstrap(['init', '-i', file, '--yes', '--skip-prepare', '--offline', '--json'], env);
  const sh = async (node: string, cmd: string) => (await lab.exec(node, cmd)).stdout;

  let plan: CliRun;
  let first: CliRun;
  let second: CliRun;

  beforeAll(async () => {
    [lab, release, mirror] = await Promise.all([
      startLab({ nodes: NODES.map((name) => ({ name, variant: 'trixie', arch: 'amd64' })) }),
      startStandinRelease(),
      startReleaseMirror(standinKnativeFiles()),
    ]);
    inv = await writeLabInventory(lab, { staticIps: false }, addons(true));
    env = { KBOOTSTRAP_K3S_RELEASE_URL: release.url, KBOOTSTRAP_ADDON_MIRROR_URL: mirror.url, KBOOTSTRAP_ADDON_POLL_MS: '1000', XDG_CACHE_HOME: `${inv.dir}/cache` };
    await lab.exec('kmaster', `mkdir -p /etc/rancher/k3s/standin-charts && cat > /etc/rancher/k3s/standin-charts/cert-manager.yaml <<'EOF'\n${STANDIN_CERT_MANAGER_CHART}EOF`);
    plan = await kbootstrap(['plan', '-i', inv.file, '--offline', '--json'], env);
    first = await init(inv.file);
    second = await init(inv.file);
    console.log(`addons lab: plan ${plan.ms} ms, first init ${first.ms} ms, second init ${second.ms} ms`);
  }, 900_000);
  afterAll(async () => {
    await lab?.down();
    await release?.close();
    await mirror?.close();
  });

  it('installs cert-manager, Serving and Eventing, with a line per addon', () => {
    expect(first.code, first.stdout.slice(-4000)).toBe(0);
    expect(addonLines(first)).toEqual([
      expect.stringMatching(/^cert-manager v1\.21\.0: ready/),
      expect.stringMatching(/^knative-serving v1\.23\.0: ready/),
      expect.stringMatching(/^knative-eventing v1\.23\.0: ready/),
    ]);
  });

  it('writes the files on the first server only, in dependency order, and k3s (the stand-in) applies each', async () => {
    const written = addonChanges(first).flatMap((c) => /(?:upload|write) (?:\S+\/)?([\w.-]+\.yaml)/.exec(c)?.[1] ?? []);
    expect(written).toEqual(ORDER);
    const listing = (await sh('kmaster', `ls ${MANIFESTS}`)).split('\n');
    expect(listing).toEqual(expect.arrayContaining(ORDER));
    for (const node of NODES.slice(1)) expect((await sh(node, `ls ${MANIFESTS} 2>/dev/null | grep -c -e cert-manager -e knative || true`)).trim()).toBe('0');
    const sums = Object.fromEntries((await sh('kmaster', `cd ${MANIFESTS} && sha256sum ${ORDER.join(' ')}`)).trim().split('\n').map((l) => l.split(/\s+/).reverse()));
    const addonsJson = JSON.parse(await sh('kmaster', 'k3s kubectl get addons -n kube-system -o json')) as { items: { metadata: { name: string }; spec: { checksum: string } }[] };
    for (const f of ORDER) expect(addonsJson.items.find((a) => a.metadata.name === f.split('.')[0])?.spec.checksum).toBe(sums[f]);
    expect(await sh('kmaster', "k3s kubectl get configmap -n knative-serving config-network -o jsonpath='{.data.ingress-class}'")).toBe('kourier.ingress.networking.knative.dev');
    expect(await sh('kmaster', 'k3s kubectl get clusterissuer -o name')).toContain('letsencrypt-prod');
  });

  it('plan listed exactly the addon changes init made', () => {
    expect(plan.code, plan.stdout.slice(-3000)).toBe(0);
    expect(addonChanges(plan)).toEqual(addonChanges(first));
    expect(addonChanges(plan).length).toBe(ORDER.length + 1 + 3);
  });

  it('a re-run writes nothing', () => {
    expect(second.code, second.stdout.slice(-3000)).toBe(0);
    expect(changesOf(second.events)).toEqual({});
    expect(addonLines(second).every((l) => l.endsWith('ready, nothing to change'))).toBe(true);
  });

  it('taking Eventing out removes its files, then its objects', async () => {
    const without = await writeLabInventory(lab, { staticIps: false }, addons(false));
    const run = await init(without.file);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    expect(addonChanges(run).filter((c) => c.startsWith('remove'))).toEqual(
      ['broker', 'imc', 'core', 'crds'].map((p) => `remove ${MANIFESTS}/knative-eventing-${p}.yaml (addon knative-eventing is no longer in the inventory), then delete its objects`),
    );
    expect(await sh('kmaster', `ls ${MANIFESTS} | grep -c knative-eventing || true`)).toBe('0\n');
    expect((await lab.exec('kmaster', 'k3s kubectl get deployment -n knative-eventing eventing-controller -o name')).code).not.toBe(0);
    expect(await sh('kmaster', 'k3s kubectl get addons -n kube-system -o name')).not.toContain('knative-eventing');
  });

  it('a HelmChart the stand-in fails makes the run exit 3, naming the addon and the reason', async () => {
    await lab.exec('kmaster', 'echo cert-manager > /etc/rancher/k3s/standin-helm-fail');
    const changed = await writeLabInventory(lab, { staticIps: false }, addons(false, { replicaCount: 2 }));
    const run = await init(changed.file);
    expect(run.code).toBe(3);
    const failed = addonLines(run).find((l) => l.startsWith('cert-manager'));
    expect(failed).toMatch(/^cert-manager v1\.21\.0 failed: HelmChart kube-system\/cert-manager.*BackoffLimitExceeded/);
    expect(run.stdout).toContain('addon(s) failed: cert-manager');
    await lab.exec('kmaster', 'rm -f /etc/rancher/k3s/standin-helm-fail');
  });
});
