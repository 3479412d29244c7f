import type { KubectlAnswer, KubectlQuery } from './kubectl-batch.js';
import type { ReadinessCheck } from './types.js';

/** What one check says now: ready, still waiting (with why), or failed for good (with the cluster's reason). */
export type CheckState = { state: 'ready'; object: string } | { state: 'waiting'; object: string; why: string } | { state: 'failed'; object: string; reason: string };

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

type Obj = { status?: { conditions?: Condition[]; failed?: number; succeeded?: number; jobName?: string }; spec?: { backoffLimit?: number }; subsets?: { addresses?: unknown[] }[] };

export function describeCheck(c: ReadinessCheck): string {
  switch (c.kind) {
    case 'helmchart':
      return `HelmChart ${c.namespace}/${c.name}`;
    case 'deployment':
      return `Deployment ${c.namespace}/${c.name}`;
    case 'crd':
      return `CRD ${c.name}`;
    case 'webhook':
      return `webhook Service ${c.namespace}/${c.service}`;
    case 'condition':
      return `${c.resource} ${c.namespace}/${c.name}`;
    case 'job':
      return `Job ${c.namespace}/${c.name}`;
    case 'applied':
      return `Addon kube-system/${addonObjectName(c.fileName)}`;
  }
}

/** k3s names the Addon object of a manifest after the file name up to its first dot. */
export function addonObjectName(fileName: string): string {
  return fileName.split('.')[0]!;
}

/** The kubectl queries a check needs (a HelmChart: the chart and its helm-install Job). */
export function checkQueries(c: ReadinessCheck): KubectlQuery[] {
  switch (c.kind) {
    case 'helmchart':
      return [
        { resource: 'helmchart', namespace: c.namespace, name: c.name },
        { resource: 'job', namespace: c.namespace, name: `helm-install-${c.name}` },
      ];
    case 'deployment':
      return [{ resource: 'deployment', namespace: c.namespace, name: c.name }];
    case 'crd':
      return [{ resource: 'customresourcedefinition', name: c.name }];
    case 'webhook':
      return [{ resource: 'endpoints', namespace: c.namespace, name: c.service }];
    case 'condition':
      return [{ resource: c.resource, namespace: c.namespace, name: c.name }];
    case 'job':
      return [{ resource: 'job', namespace: c.namespace, name: c.name }];
    case 'applied':
      return [{ resource: 'addon', namespace: 'kube-system', name: addonObjectName(c.fileName) }];
  }
}

function parse(a: KubectlAnswer | undefined): Obj | undefined {
  if (!a || a.code !== 0) return undefined;
  try {
    return JSON.parse(a.output) as Obj;
  } catch {
    return undefined;
  }
}

const cond = (o: Obj | undefined, type: string) => o?.status?.conditions?.find((c) => c.type === type);
const isTrue = (c: Condition | undefined) => c?.status === 'True';
const reasonOf = (c: Condition) => [c.reason, c.message].filter(Boolean).join(': ');
/** The first line kubectl printed on failure ("Error from server (NotFound): ..."). */
const kubectlError = (a: KubectlAnswer | undefined) => (a ? a.output.trim().split('\n')[0] ?? '' : 'no answer');

function jobState(object: string, job: Obj | undefined, answer: KubectlAnswer | undefined): CheckState {
  if (!job) return { state: 'waiting', object, why: kubectlError(answer) };
  const failed = cond(job, 'Failed');
  if (isTrue(failed)) return { state: 'failed', object, reason: reasonOf(failed!) };
  if (isTrue(cond(job, 'Complete'))) return { state: 'ready', object };
  const tries = job.status?.failed ?? 0;
  return { state: 'waiting', object, why: tries > 0 ? `${tries} failed attempt(s) of ${(job.spec?.backoffLimit ?? 6) + 1}` : 'running' };
}

/** Judges a check from the answers to its queries (same order as checkQueries). */
export function evaluateCheck(c: ReadinessCheck, answers: (KubectlAnswer | undefined)[]): CheckState {
  const object = describeCheck(c);
  const [first, second] = answers;
  const o = parse(first);
  switch (c.kind) {
    case 'helmchart': {
      if (!o) return { state: 'waiting', object, why: `not created yet (${kubectlError(first)})` };
      const failed = cond(o, 'Failed');
      if (isTrue(failed)) return { state: 'failed', object, reason: reasonOf(failed!) };
      const job = jobState(`Job ${c.namespace}/helm-install-${c.name}`, parse(second), second);
      if (job.state === 'failed') return { state: 'failed', object: `${object} (Job ${c.namespace}/helm-install-${c.name})`, reason: job.reason };
      return job.state === 'ready' ? { state: 'ready', object } : { state: 'waiting', object, why: `helm-install Job ${job.why}` };
    }
    case 'deployment': {
      if (!o) return { state: 'waiting', object, why: kubectlError(first) };
      const progressing = cond(o, 'Progressing');
      if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return { state: 'failed', object, reason: reasonOf(progressing) };
      const available = cond(o, 'Available');
      return isTrue(available) ? { state: 'ready', object } : { state: 'waiting', object, why: available ? reasonOf(available) || 'not Available' : 'not Available yet' };
    }
    case 'crd':
      if (!o) return { state: 'waiting', object, why: kubectlError(first) };
      return isTrue(cond(o, 'Established')) ? { state: 'ready', object } : { state: 'waiting', object, why: 'not Established' };
    case 'webhook': {
      if (!o) return { state: 'waiting', object, why: kubectlError(first) };
      const ready = (o.subsets ?? []).some((s) => (s.addresses ?? []).length > 0);
      return ready ? { state: 'ready', object } : { state: 'waiting', object, why: 'no ready endpoints' };
    }
    case 'condition': {
      if (!o) return { state: 'waiting', object, why: kubectlError(first) };
      const wanted = cond(o, c.condition);
      if (isTrue(wanted)) return { state: 'ready', object };
      // Operators often report trouble in another condition (Strimzi: NotReady True with the reason).
      const others = (o.status?.conditions ?? []).filter((x) => x.type !== c.condition && x.status === 'True' && (x.reason || x.message));
      const said = [wanted ? `${c.condition} ${wanted.status}: ${reasonOf(wanted)}` : `no ${c.condition} condition`, ...others.map((x) => `${x.type}: ${reasonOf(x)}`)];
      return { state: 'waiting', object, why: said.join('; ') };
    }
    case 'job':
      return jobState(object, o, first);
    case 'applied': {
      const checksum = (o as { spec?: { checksum?: string } } | undefined)?.spec?.checksum;
      return checksum === c.sha256 ? { state: 'ready', object } : { state: 'waiting', object, why: `k3s has not applied this ${c.fileName} yet` };
    }
  }
}
