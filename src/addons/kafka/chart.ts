import { stringify } from 'yaml';

/**
 * A HelmChart (helm.cattle.io/v1) for k3s's helm-controller, in kube-system with targetNamespace, and
 * the deep merge of chart values. Shared by the Kafka and OpenWhisk modules.
 */

export type Values = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `over` merged into `base`: objects key by key, everything else (arrays too) replaced. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeValues(prev, value) : value;
  }
  return out;
}

export interface HelmChartInput {
  name: string;
  /** A repo chart name (with `repo`), an https .tgz URL or an oci:// reference. */
  chart: string;
  repo?: string;
  version: string;
  targetNamespace: string;
  values: Values;
}

/** helm-controller's default backOffLimit is 1000: a failing chart would retry for hours unseen. */
export const HELM_BACKOFF_LIMIT = 3;

export function helmChartObject(input: HelmChartInput): Values {
  return {
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChart',
    metadata: { name: input.name, namespace: 'kube-system' },
    spec: {
      chart: input.chart,
      ...(input.repo ? { repo: input.repo } : {}),
      version: input.version,
      targetNamespace: input.targetNamespace,
      createNamespace: true,
      backOffLimit: HELM_BACKOFF_LIMIT,
      failurePolicy: 'abort',
      valuesContent: stringify(input.values),
    },
  };
}

/** Several objects as one YAML stream, in order. */
export function yamlStream(objects: Values[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}
