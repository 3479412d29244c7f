import * as z from 'zod';
import { stringify } from 'yaml';

/**
 * k3s's helm-controller `HelmChart` (helm.cattle.io/v1). No npm package ships its schema, so this one
 * is written from the upstream field list (helm-controller 21a911f, 2026-07, as summarised in
 * ../shared/FACTS.md "k3s helm-controller"): every spec field it names, unknown fields refused.
 */
export const HELMCHART_SCHEMA_UPSTREAM = 'k3s-io/helm-controller 21a911f (2026-07), pkg/apis/helm.cattle.io/v1 HelmChartSpec';

const nameRef = z.strictObject({ name: z.string().min(1) });

export const HelmChartSpecSchema = z.strictObject({
  authPassCredentials: z.boolean().optional(),
  authSecret: nameRef.optional(),
  backOffLimit: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  bootstrap: z.boolean().optional(),
  chart: z.string().min(1).optional(),
  chartContent: z.string().optional(),
  createNamespace: z.boolean().optional(),
  dockerRegistrySecret: nameRef.optional(),
  driver: z.string().optional(),
  failurePolicy: z.enum(['abort', 'reinstall', 'retry']).optional(),
  forceConflicts: z.boolean().optional(),
  helmVersion: z.string().optional(),
  insecureSkipTLSVerify: z.boolean().optional(),
  jobImage: z.string().optional(),
  plainHTTP: z.boolean().optional(),
  podSecurityContext: z.record(z.string(), z.unknown()).optional(),
  repo: z.string().optional(),
  repoCA: z.string().optional(),
  repoCAConfigMap: nameRef.optional(),
  securityContext: z.record(z.string(), z.unknown()).optional(),
  serverSide: z.boolean().optional(),
  set: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  takeOwnership: z.boolean().optional(),
  targetNamespace: z.string().optional(),
  timeout: z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'a Go duration like 10m0s').optional(),
  values: z.record(z.string(), z.unknown()).optional(),
  valuesContent: z.string().optional(),
  valuesSecrets: z.array(z.record(z.string(), z.unknown())).optional(),
  version: z.string().optional(),
});

export const HelmChartSchema = z.strictObject({
  apiVersion: z.literal('helm.cattle.io/v1'),
  kind: z.literal('HelmChart'),
  metadata: z.strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
    namespace: z.string().min(1),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: HelmChartSpecSchema,
});

export type HelmChart = z.infer<typeof HelmChartSchema>;
export type HelmChartSpec = z.infer<typeof HelmChartSpecSchema>;

/**
 * A HelmChart in kube-system (where helm-controller looks), with a small backOffLimit: the default
 * of 1000 retries hides a failing install for hours, and the `Failed` condition comes only after it.
 */
export function helmChart(name: string, spec: HelmChartSpec): HelmChart {
  return {
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChart',
    metadata: { name, namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'kbootstrap' } },
    spec: { backOffLimit: 3, ...spec },
  };
}

/** YAML documents, each with a leading `---`, stable key order. */
export function toYaml(objects: object[], header?: string): string {
  const docs = objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`);
  return `${header ? `# ${header}\n` : ''}${docs.join('')}`;
}
