import { Buffer } from 'node:buffer';
import { stringify } from 'yaml';

/**
 * What the lab's k3s stand-in records for Strimzi, OpenWhisk and the Knative Kafka broker (not their
 * files): the objects kbootstrap's readiness checks look for. The stand-in turns Deployments Available,
 * CRDs Established, Services into endpoints, Jobs Complete, and a Kafka Ready (or NotReady, when a test
 * lists it in /etc/rancher/k3s/standin-kafka-fail).
 */
const crd = (name: string) => {
  const [plural, ...group] = name.split('.');
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { group: group.join('.'), names: { plural }, scope: 'Namespaced' } };
};
const deploy = (namespace: string | undefined, name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { replicas: 1 } });
const svc = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 443 }] } });
const file = (objects: object[]) => `# kbootstrap lab stand-in (not the upstream file)\n${objects.map((o) => `---\n${stringify(o)}`).join('')}`;

export const STANDIN_GUEST_KEY = '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:lab-standin-guest';

/** /etc/rancher/k3s/standin-charts/<HelmChart name>.yaml */
export const STANDIN_CHARTS: Record<string, string> = {
  'strimzi-kafka-operator': file([crd('kafkas.kafka.strimzi.io'), crd('kafkanodepools.kafka.strimzi.io'), crd('kafkatopics.kafka.strimzi.io'), deploy(undefined, 'strimzi-cluster-operator')]),
  openwhisk: file([
    deploy(undefined, 'openwhisk-nginx'),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'openwhisk-whisk.auth' }, data: { guest: Buffer.from(STANDIN_GUEST_KEY).toString('base64') } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'openwhisk-install-packages' }, spec: { backoffLimit: 3 } },
  ]),
};

/** The eventing-kafka-broker release files in GitHub's layout. */
export function standinKafkaBrokerFiles(tag = 'knative-v1.23.0'): Record<string, string> {
  const base = `/knative-extensions/eventing-kafka-broker/releases/download/${tag}`;
  return {
    [`${base}/eventing-kafka-controller.yaml`]: file([crd('kafkasinks.eventing.knative.dev'), deploy('knative-eventing', 'kafka-controller'), deploy('knative-eventing', 'kafka-webhook-eventing'), svc('knative-eventing', 'kafka-webhook-eventing')]),
    [`${base}/eventing-kafka-broker.yaml`]: file([
      deploy('knative-eventing', 'kafka-broker-receiver'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kafka-broker-config', namespace: 'knative-eventing' }, data: { 'bootstrap.servers': 'my-cluster-kafka-bootstrap.kafka:9092', 'default.topic.replication.factor': '3', 'default.topic.partitions': '10' } },
    ]),
  };
}
