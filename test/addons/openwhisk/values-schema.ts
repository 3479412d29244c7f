import { z } from 'zod';

/**
 * The OpenWhisk chart's values keys, written from apache/openwhisk-deploy-kube helm/openwhisk/values.yaml
 * at commit 9dbf566 (chart 1.0.1 at HEAD; kbootstrap pins the published 1.0.0 and sets every image
 * itself). Strict for every section kbootstrap sets; the other top-level sections are named, so a typo
 * is refused, and not described further.
 */
const s = z.string();
const any = z.unknown().optional();
const pull = z.enum(['IfNotPresent', 'Always', 'Never']).optional();
const image = { imageName: s.min(1), imageTag: s.min(1), imagePullPolicy: pull };
const section = <T extends z.ZodRawShape>(extra: T = {} as T) =>
  z.strictObject({ ...image, replicaCount: z.number().int().optional(), restartPolicy: s.optional(), ...extra }).partial({ imageName: true, imageTag: true });

export const OpenWhiskValuesSchema = z.strictObject({
  whisk: z
    .strictObject({
      ingress: z.strictObject({
        apiHostName: s,
        apiHostPort: z.number().int().min(1).max(65535),
        apiHostProto: z.enum(['http', 'https']).optional(),
        type: z.enum(['NodePort', 'LoadBalancer', 'Standard', 'OpenShift']),
        annotations: z.record(s, s).optional(),
        domain: s.optional(),
        awsSSL: s.optional(),
        useInternally: z.boolean().optional(),
        tls: any,
      }),
      auth: z.strictObject({ system: s, guest: s }).optional(),
      systemNameSpace: s.optional(),
      limits: any,
      loadbalancer: any,
      kafka: any,
      containerPool: z.strictObject({ userMemory: s.regex(/^[0-9]+m$/) }).optional(),
      runtimes: s.optional(),
      durationChecker: any,
      testing: any,
      versions: any,
    })
    .partial({ ingress: true }),
  k8s: z
    .strictObject({
      domain: s.optional(),
      dns: s.optional(),
      persistence: z.strictObject({ enabled: z.boolean(), hasDefaultStorageClass: z.boolean(), explicitStorageClass: s.nullable().optional() }).partial(),
    })
    .partial(),
  utility: section(),
  docker: any,
  zookeeper: section({ external: z.boolean().optional(), connect_string: s.nullable().optional(), host: s.nullable().optional(), port: z.number().optional(), serverPort: z.number().optional(), leaderElectionPort: z.number().optional(), persistence: any, config: any }),
  kafka: section({ external: z.boolean().optional(), connect_string: s.nullable().optional(), port: z.number().optional(), persistence: any }),
  db: section({ external: z.boolean().optional(), wipeAndInit: z.boolean().optional(), host: s.nullable().optional(), port: z.number().optional(), provider: s.optional(), protocol: s.optional(), auth: any, dbPrefix: s.optional(), activationsTable: s.optional(), actionsTable: s.optional(), authsTable: s.optional(), persistence: any }),
  activationStoreBackend: z.enum(['CouchDB', 'ElasticSearch']).optional(),
  nginx: section({ httpPort: z.number().optional(), httpsPort: z.number().optional(), httpsNodePort: z.number().int().min(30000).max(32767).optional(), workerProcesses: s.optional(), certificate: any }),
  controller: section({ port: z.number().optional(), options: s.optional(), jvmHeapMB: s.optional(), jvmOptions: s.optional(), loglevel: s.optional() }),
  scheduler: any,
  etcd: any,
  invoker: section({
    runtimeDeleteTimeout: s.optional(),
    port: z.number().optional(),
    options: s.optional(),
    jvmHeapMB: s.optional(),
    jvmOptions: s.optional(),
    loglevel: s.optional(),
    containerFactory: z
      .strictObject({
        useRunc: z.boolean(),
        impl: z.enum(['docker', 'kubernetes']),
        enableConcurrency: z.boolean(),
        networkConfig: any,
        kubernetes: z.strictObject({ isolateUserActions: z.boolean(), replicaCount: z.number().int().min(1) }).partial(),
      })
      .partial()
      .optional(),
  }),
  apigw: section({ apiPort: z.number().optional(), mgmtPort: z.number().optional() }),
  redis: section({ external: z.boolean().optional(), host: s.nullable().optional(), port: z.number().optional(), persistence: any }),
  user_events: section({ port: z.number().optional() }),
  prometheus: any,
  grafana: any,
  metrics: any,
  providers: z
    .strictObject({
      db: any,
      alarm: section({ enabled: z.boolean(), apiPort: z.number().optional(), dbPrefix: s.optional(), persistence: any }),
      kafka: section({ enabled: z.boolean(), apiPort: z.number().optional(), dbPrefix: s.optional() }),
    })
    .partial(),
  busybox: z.strictObject({ imageName: s.min(1), imageTag: s.min(1) }).partial(),
  affinity: z.strictObject({ enabled: z.boolean(), coreNodeLabel: s, edgeNodeLabel: s, invokerNodeLabel: s, providerNodeLabel: s }).partial(),
  toleration: z.strictObject({ enabled: z.boolean(), coreValue: s, edgeValue: s, invokerValue: s }).partial(),
  probes: any,
  pdb: any,
  elasticsearch: any,
  akka: any,
}).partial();
