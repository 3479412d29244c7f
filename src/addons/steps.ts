import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { AddonStep } from './types.js';

/** The annotation that records what kbootstrap last applied to an object, so a re-run can skip it. */
export const APPLIED_ANNOTATION = 'kbootstrap.io/applied';
const APPLIED_JSONPATH = `{.metadata.annotations.${APPLIED_ANNOTATION.replace(/\./g, '\\.')}}`;

export function shortHash(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex').slice(0, 16);
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** `kubectl apply -f -` of objects; done when the first object carries the hash of all of them. */
export function applyStep(description: string, objects: K8sObject[], opts: { secret?: boolean } = {}): AddonStep {
  const hash = shortHash(objects);
  const stamped = objects.map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [APPLIED_ANNOTATION]: hash } } }));
  const first = objects[0]!;
  return {
    description,
    args: ['apply', '-f', '-'],
    stdin: stamped.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join(''),
    ...(opts.secret ? { secret: true } : {}),
    probe: { resource: first.kind.toLowerCase(), namespace: first.metadata.namespace, name: first.metadata.name, jsonpath: APPLIED_JSONPATH, want: hash },
  };
}

/** A merge patch of a ConfigMap's data (the object exists: the release made it); stamped like applyStep. */
export function configMapPatchStep(namespace: string, name: string, data: Record<string, string>, why: string): AddonStep {
  const hash = shortHash({ namespace, name, data });
  const patch = { metadata: { annotations: { [APPLIED_ANNOTATION]: hash } }, data };
  return {
    description: `set ${Object.keys(data).join(', ')} in ConfigMap ${namespace}/${name} (${why})`,
    args: ['patch', 'configmap', name, '-n', namespace, '--type', 'merge', '-p', JSON.stringify(patch)],
    probe: { resource: 'configmap', namespace, name, jsonpath: APPLIED_JSONPATH, want: hash },
  };
}

/** Extra ConfigMap data from `values` ({ config-autoscaler: { key: value } }), one patch per ConfigMap. */
export function valuesPatchSteps(namespace: string, values: Record<string, unknown>): AddonStep[] {
  return Object.entries(values).map(([name, data]) => {
    const entries = Object.entries((data ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)] as const);
    return configMapPatchStep(namespace, name, Object.fromEntries(entries), 'addon values');
  });
}
