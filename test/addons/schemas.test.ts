import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { Service as KnativeService } from '@kubernetes-models/knative/serving.knative.dev/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CHART_FILE_KEY, CLOUDFLARE_TOKEN_SECRET_KEY, renderCertManager } from '../../src/addons/cert-manager.js';
import { HelmChartSchema, HELMCHART_SCHEMA_UPSTREAM, helmChart } from '../../src/addons/helmchart.js';
import { renderKnativeEventing } from '../../src/addons/knative-eventing.js';
import { renderKnativeServing } from '../../src/addons/knative-serving.js';
import type { AddonInput, AddonRender } from '../../src/addons/types.js';
import { AddonsSchema } from '../../src/inventory/schema.js';

/**
 * Every object kbootstrap renders for cert-manager and Knative, checked against upstream schemas:
 * Kubernetes' own types (kubernetes-models 5.1.0), cert-manager's CRDs (@kubernetes-models/cert-manager
 * 6.0.0), Knative's (@kubernetes-models/knative 4.0.0); the HelmChart against kbootstrap's schema of
 * helm-controller's field list (no package ships it).
 */
const cluster = { architectures: ['arm64'], serverIp: '192.168.2.50', k3sVersion: 'v1.34.2+k3s1', nodes: [], dataDir: '/var/lib/rancher/k3s' };
const input = (addons: object, secrets?: Record<string, string>): AddonInput => ({ addons: AddonsSchema.parse(addons), cluster, secrets });
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } });
const stepObjects = (r: AddonRender) => r.steps.flatMap((s) => (s.stdin ? docs(s.stdin) : []));

describe(`HelmChart schema (${HELMCHART_SCHEMA_UPSTREAM})`, () => {
  it('accepts the fields helm-controller knows and refuses any other', () => {
    expect(() => HelmChartSchema.parse(helmChart('x', { chart: 'x', repo: 'https://charts.example.org', failurePolicy: 'abort', timeout: '10m0s', set: { a: 1 } }))).not.toThrow();
    expect(() => HelmChartSchema.parse({ ...helmChart('x', { chart: 'x' }), spec: { chart: 'x', wait: true } })).toThrow(/wait/);
    expect(() => HelmChartSchema.parse(helmChart('x', { chart: 'x', failurePolicy: 'ignore' as never }))).toThrow();
    expect(() => HelmChartSchema.parse(helmChart('x', { chart: 'x', timeout: '10 minutes' }))).toThrow(/Go duration/);
  });
});

describe('cert-manager renders valid objects', () => {
  it('a HelmChart in kube-system with CRDs on, a small backOffLimit and the inventory values', () => {
    const r = renderCertManager(input({ 'cert-manager': { email: 'ops@example.org', values: { replicaCount: 2 } } }));
    const [chart, ...rest] = docs(r.manifests[0]!.content);
    expect(rest).toEqual([]);
    const parsed = HelmChartSchema.parse(chart);
    expect(parsed.metadata.namespace).toBe('kube-system');
    expect(parsed.spec).toMatchObject({ chart: 'cert-manager', repo: 'https://charts.jetstack.io', version: 'v1.21.0', targetNamespace: 'cert-manager', createNamespace: true, backOffLimit: 3 });
    expect(parsed.spec.valuesContent).toContain('crds:\n  enabled: true\n  keep: true');
    expect(parsed.spec.valuesContent).toContain('replicaCount: 2');
  });

  it('an air-gapped site sends a local chart as chartContent instead of naming the repo', () => {
    const tgz = Buffer.from('not really a tgz').toString('base64');
    const r = renderCertManager({ ...input({ 'cert-manager': { chartFile: 'charts/cert-manager.tgz' } }), files: { [CHART_FILE_KEY]: tgz } });
    const spec = HelmChartSchema.parse(docs(r.manifests[0]!.content)[0]).spec;
    expect(spec.chartContent).toBe(tgz);
    expect([spec.chart, spec.repo, spec.version]).toEqual([undefined, undefined, undefined]);
  });

  it.each(['http01', 'dns01-cloudflare'] as const)('ClusterIssuers for staging and production (%s) validate against cert-manager.io/v1', (challenge) => {
    const r = renderCertManager(
      input({ 'cert-manager': { email: 'ops@example.org', challenge, ingressClass: 'kourier', cloudflareApiToken: { env: 'CF' } } }, { [CLOUDFLARE_TOKEN_SECRET_KEY]: 'tok' }),
    );
    const objects = stepObjects(r);
    const issuers = objects.filter((o) => o.kind === 'ClusterIssuer');
    expect(issuers.map((o) => o.metadata.name)).toEqual(['letsencrypt-staging', 'letsencrypt-prod']);
    for (const o of issuers) expect(() => new ClusterIssuer(o as never).validate()).not.toThrow();
    const secrets = objects.filter((o) => o.kind === 'Secret');
    expect(secrets.length).toBe(challenge === 'dns01-cloudflare' ? 1 : 0);
    for (const o of secrets) expect(() => new Secret(o as never).validate()).not.toThrow();
    expect(r.steps.filter((s) => s.secret).length).toBe(secrets.length);
  });

  it('a broken issuer would be caught: the schema check is not a formality', () => {
    const r = renderCertManager(input({ 'cert-manager': { email: 'ops@example.org' } }));
    const issuer = stepObjects(r).find((o) => o.kind === 'ClusterIssuer')! as unknown as { spec: { acme: Record<string, unknown> } };
    issuer.spec.acme.server = 42;
    expect(() => new ClusterIssuer(issuer as never).validate()).toThrow();
  });
});

describe('Knative renders valid objects', () => {
  it('each ConfigMap patch, applied to the release ConfigMap, is a valid ConfigMap', () => {
    const all = [
      renderKnativeServing(input({ 'cert-manager': { email: 'a@b.org' }, 'knative-serving': { tls: true, domain: 'fn.example.org', values: { 'config-autoscaler': { 'scale-to-zero-grace-period': '30s' } } } })),
      renderKnativeEventing(input({ 'knative-eventing': { values: { 'config-br-defaults': { default: 'x' } } } })),
    ];
    const patched = all.flatMap((r) =>
      r.steps
        .filter((s) => s.args[0] === 'patch')
        .map((s) => {
          const [, kind, name, , namespace] = s.args;
          const patch = JSON.parse(s.args.at(-1)!) as { metadata: object; data: Record<string, string> };
          expect(kind).toBe('configmap');
          return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...patch.metadata }, data: patch.data };
        }),
    );
    expect(patched.map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual([
      'knative-serving/config-network',
      'knative-serving/config-domain',
      'knative-serving/config-certmanager',
      'knative-serving/config-autoscaler',
      'knative-eventing/config-br-defaults',
    ]);
    for (const c of patched) expect(() => new ConfigMap(c as never).validate()).not.toThrow();
    expect(patched[0]!.data).toEqual({ 'ingress-class': 'kourier.ingress.networking.knative.dev', 'external-domain-tls': 'Enabled' });
    expect(patched[1]!.data).toEqual({ 'fn.example.org': '' });
  });

  it("the README's Knative Service example is a valid serving.knative.dev/v1 Service", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```yaml\n(# hello\.yaml[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has a ```yaml block starting with # hello.yaml').toBeDefined();
    const [svc] = docs(block!);
    expect(svc!.kind).toBe('Service');
    expect(() => new KnativeService(svc as never).validate()).not.toThrow();
  });
});
