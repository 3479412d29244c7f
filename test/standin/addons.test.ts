// The k3s stand-in's addon controllers (a stand-in, not k3s): the deploy controller's Addon objects with
// the file checksum, helm-controller's helm-install Job (complete, or failed as the test says), and
// workloads that turn Available / Established / get endpoints.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, startServer, type StandinNode } from './harness.js';

afterAll(cleanupAll);

const MANIFESTS = 'var/lib/rancher/k3s/server/manifests';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('k3s stand-in: addon controllers', () => {
  let server: StandinNode & { port: number };
  const getJson = async (...args: string[]) => {
    const r = await server.kubectl('get', ...args, '-o', 'json');
    return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, any>) : undefined;
  };
  const condition = (o: Record<string, any> | undefined, type: string) => o?.status?.conditions?.find((c: { type: string }) => c.type === type);

  beforeAll(async () => {
    server = await startServer('token: addons-secret\nnode-name: kmaster\ndisable:\n  - traefik\n');
  }, 30_000);

  it('a file in the manifests dir becomes an Addon named up to its first dot, with the sha256 of the file', async () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: demo\nspec:\n  replicas: 2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: demo\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.demo.example.org\n';
    await writeFile(join(server.root, MANIFESTS, 'demo-app.v2.yaml'), text);
    const addon = await until('Addon demo-app', () => getJson('addon', '-n', 'kube-system', 'demo-app'));
    expect(addon.spec.checksum).toBe(createHash('sha256').update(text).digest('hex'));
    expect(condition(await getJson('deployment', '-n', 'demo', 'web'), 'Available')?.status).toBe('True');
    expect(condition(await getJson('customresourcedefinition', 'widgets.demo.example.org'), 'Established')?.status).toBe('True');
    expect((await getJson('endpoints', '-n', 'demo', 'web'))?.subsets[0].addresses).toHaveLength(1);
  });

  it('a HelmChart gets a helm-install Job that completes and installs what the test says the chart holds', async () => {
    await mkdir(join(server.root, 'etc/rancher/k3s/standin-charts'), { recursive: true });
    await writeFile(join(server.root, 'etc/rancher/k3s/standin-charts/good.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: good-controller\n');
    await writeFile(join(server.root, MANIFESTS, 'good.yaml'), 'apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata:\n  name: good\n  namespace: kube-system\nspec:\n  chart: good\n  targetNamespace: good-system\n  createNamespace: true\n  backOffLimit: 2\n');
    const job = await until('Job helm-install-good', () => getJson('job', '-n', 'kube-system', 'helm-install-good'));
    expect(condition(job, 'Complete')?.status).toBe('True');
    expect(condition(await getJson('deployment', '-n', 'good-system', 'good-controller'), 'Available')?.status).toBe('True');
    expect((await getJson('helmchart', '-n', 'kube-system', 'good'))?.status.jobName).toBe('helm-install-good');
    // Deleting the HelmChart uninstalls the release (helm-controller's delete Job), so its objects go.
    expect((await server.kubectl('delete', 'helmchart', '-n', 'kube-system', 'good')).code).toBe(0);
    expect(await getJson('deployment', '-n', 'good-system', 'good-controller')).toBeUndefined();
  });

  it('a HelmChart listed in standin-helm-fail fails with the reason kbootstrap must show', async () => {
    await writeFile(join(server.root, 'etc/rancher/k3s/standin-helm-fail'), 'bad\n');
    await writeFile(join(server.root, MANIFESTS, 'bad.yaml'), 'apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata:\n  name: bad\n  namespace: kube-system\nspec:\n  chart: bad\n  backOffLimit: 3\n');
    const job = await until('Job helm-install-bad', () => getJson('job', '-n', 'kube-system', 'helm-install-bad'));
    expect(condition(job, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(job.status.failed).toBe(4);
    expect(condition(await getJson('helmchart', '-n', 'kube-system', 'bad'), 'Failed')?.status).toBe('True');
    await rm(join(server.root, 'etc/rancher/k3s/standin-helm-fail'));
  });

  it('patches a ConfigMap with a merge patch, as kbootstrap sets Knative config', async () => {
    await writeFile(join(server.root, MANIFESTS, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-network\n  namespace: kube-system\ndata:\n  _example: x\n');
    await until('ConfigMap', () => getJson('configmap', '-n', 'kube-system', 'config-network'));
    const r = await server.kubectl('patch', 'configmap', 'config-network', '-n', 'kube-system', '--type', 'merge', '-p', '{"metadata":{"annotations":{"kbootstrap.io/applied":"abc"}},"data":{"ingress-class":"kourier"}}');
    expect(r).toMatchObject({ code: 0, stdout: 'configmap/config-network patched\n' });
    const got = await server.kubectl('get', 'configmap', '-n', 'kube-system', 'config-network', '-o', 'jsonpath={.metadata.annotations.kbootstrap\\.io/applied} {.data.ingress-class} {.data._example}');
    expect(got.stdout).toBe('abc kourier x');
    expect((await server.kubectl('patch', 'configmap', 'nope', '-n', 'kube-system', '--type', 'merge', '-p', '{}')).code).toBe(1);
  });
});
