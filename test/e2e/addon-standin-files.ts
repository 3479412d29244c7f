import { stringify } from 'yaml';

/**
 * Stand-in release files for the lab (not Knative's): in GitHub's layout, each holding the kinds of
 * objects the real file has and that kbootstrap's readiness checks and steps look for (Namespaces,
 * CRDs, Deployments, webhook Services, the ConfigMaps it patches). The k3s stand-in records them and
 * turns Deployments Available, CRDs Established, Services into ready endpoints.
 */
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const crd = (name: string) => {
  const [plural, ...group] = name.split('.');
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { group: group.join('.'), names: { plural }, scope: 'Namespaced' } };
};
const deploy = (namespace: string, name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { replicas: 1 } });
const svc = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 443 }] } });
const cm = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { _example: 'stand-in' } });
const file = (objects: object[]) => `# kbootstrap lab stand-in release file (not Knative)\n${objects.map((o) => `---\n${stringify(o)}`).join('')}`;

export function standinKnativeFiles(version = 'v1.23.0'): Record<string, string> {
  const tag = `knative-${version}`;
  const s = `/knative/serving/releases/download/${tag}`;
  const e = `/knative/eventing/releases/download/${tag}`;
  return {
    [`${s}/serving-crds.yaml`]: file(['services', 'configurations', 'revisions', 'routes'].map((r) => crd(`${r}.serving.knative.dev`)).concat(crd('images.caching.internal.knative.dev'))),
    [`${s}/serving-core.yaml`]: file([
      ns('knative-serving'),
      ...['activator', 'autoscaler', 'controller', 'webhook'].map((d) => deploy('knative-serving', d)),
      svc('knative-serving', 'webhook'),
      cm('knative-serving', 'config-network'),
      cm('knative-serving', 'config-domain'),
    ]),
    [`/knative-extensions/net-kourier/releases/download/${tag}/kourier.yaml`]: file([
      ns('kourier-system'),
      deploy('knative-serving', 'net-kourier-controller'),
      deploy('kourier-system', '3scale-kourier-gateway'),
      svc('kourier-system', 'kourier'),
    ]),
    [`${e}/eventing-crds.yaml`]: file(['brokers.eventing.knative.dev', 'triggers.eventing.knative.dev', 'channels.messaging.knative.dev', 'subscriptions.messaging.knative.dev'].map(crd)),
    [`${e}/eventing-core.yaml`]: file([ns('knative-eventing'), deploy('knative-eventing', 'eventing-controller'), deploy('knative-eventing', 'eventing-webhook'), svc('knative-eventing', 'eventing-webhook')]),
    [`${e}/in-memory-channel.yaml`]: file([deploy('knative-eventing', 'imc-controller'), deploy('knative-eventing', 'imc-dispatcher')]),
    [`${e}/mt-channel-broker.yaml`]: file(['mt-broker-controller', 'mt-broker-filter', 'mt-broker-ingress'].map((d) => deploy('knative-eventing', d))),
  };
}

/** What the stand-in's helm controller records when the cert-manager chart "installs". */
export const STANDIN_CERT_MANAGER_CHART = file([
  ...['certificates', 'issuers', 'clusterissuers'].map((r) => crd(`${r}.cert-manager.io`)),
  ...['cert-manager', 'cert-manager-webhook', 'cert-manager-cainjector'].map((d) => deploy('cert-manager', d)),
  svc('cert-manager', 'cert-manager-webhook'),
]);
