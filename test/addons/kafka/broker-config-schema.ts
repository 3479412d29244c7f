import { z } from 'zod';

/**
 * `kafka-broker-config` as knative-extensions/eventing-kafka-broker reads it (control-plane
 * config/eventing-kafka-broker/100-broker/100-kafka-broker-configmap.yaml and the Broker docs, release
 * knative-v1.23): the bootstrap servers, the defaults of the topics a Broker creates, an optional auth
 * Secret and default.topic.config.* topic settings. Values are strings (a ConfigMap's data).
 */
const hostPort = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[0-9]{1,5}$/;
const positiveInt = z.string().regex(/^[1-9][0-9]*$/);

export const KafkaBrokerConfigSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: z.strictObject({ name: z.literal('kafka-broker-config'), namespace: z.literal('knative-eventing'), labels: z.record(z.string(), z.string()).optional() }),
  data: z
    .strictObject({
      'bootstrap.servers': z.string().refine((s) => s.split(',').every((hp) => hostPort.test(hp.trim())), 'comma-separated host:port list'),
      'default.topic.partitions': positiveInt,
      'default.topic.replication.factor': positiveInt,
      'auth.secret.ref.name': z.string().optional(),
    })
    .catchall(z.never()),
});
