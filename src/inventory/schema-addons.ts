import * as z from 'zod';
import { SecretRefSchema } from './schema-secret.js';

/**
 * The settings of the serverless stack's first three addons (cert-manager, Knative Serving, Knative
 * Eventing) and the engine's own (mirror, timeout). schema.ts composes them into `addons`.
 * Defaults here are the versions kbootstrap is tested with (../shared/FACTS.md, "Addons").
 */

export const DEFAULT_ADDON_VERSIONS = {
  'cert-manager': 'v1.21.0',
  'knative-serving': 'v1.23.0',
  'knative-eventing': 'v1.23.0',
} as const;

const SHA256 = /^[0-9a-f]{64}$/;

/** Fields every addon has (kept identical to the ones kafka/openwhisk use). */
export const commonAddonFields = {
  enabled: z.boolean().default(true).describe('Install this addon.'),
  version: z.string().min(1).optional().describe('Version to install; default: the one kbootstrap is tested with.'),
  values: z.record(z.string(), z.unknown()).default({}).describe('Extra settings (chart values).'),
  timeout: z.number().int().min(10).max(7200).default(600).describe('Seconds to wait for this addon to become ready.'),
};

/** Where release files come from, for addons installed from release YAML. */
const mirror = z
  .url('must be a URL like https://mirror.example/releases')
  .optional()
  .describe('Base URL that replaces https://github.com for release files (a mirror with the same layout, for air-gapped sites). Env KBOOTSTRAP_ADDON_MIRROR_URL wins.');

const checksums = z
  .record(z.string().regex(/^[A-Za-z0-9._-]+\.ya?ml$/, 'keys are release file names like serving-core.yaml'), z.string().regex(SHA256, 'must be a sha256 in hex (64 characters)'))
  .default({})
  .describe('sha256 of release files for a pinned version kbootstrap records no checksum for, keyed by file name (serving-core.yaml: <sha256>).');

export const CertManagerAddonSchema = z
  .strictObject({
    ...commonAddonFields,
    email: z.email('must be an e-mail address').optional().describe("Contact e-mail for Let's Encrypt (needed for the issuers)."),
    issuers: z.boolean().default(true).describe("Create the ClusterIssuers letsencrypt-staging and letsencrypt-prod once `email` is set (without it cert-manager comes alone)."),
    challenge: z
      .enum(['http01', 'dns01-cloudflare'])
      .default('http01')
      .describe('How Let\'s Encrypt checks the domain: http01 through the cluster\'s ingress (reachable on port 80 from the internet), or dns01-cloudflare with a Cloudflare API token.'),
    chartFile: z
      .string()
      .min(1)
      .optional()
      .describe('Air-gapped sites: a local cert-manager chart .tgz (relative to the inventory, ~ expanded), sent as the HelmChart\'s chartContent instead of fetching it from the repo.'),
    ingressClass: z.string().min(1).optional().describe('http01: the ingress class the solver uses. Default: the cluster\'s default class.'),
    cloudflareApiToken: SecretRefSchema.optional().describe('dns01-cloudflare: the API token (Zone.DNS edit), from an environment variable or a file; stored only as a Secret in the cluster.'),
  })
  .describe('cert-manager (jetstack chart through k3s\'s helm-controller), with Let\'s Encrypt ClusterIssuers.');

export const KnativeServingAddonSchema = z
  .strictObject({
    ...commonAddonFields,
    values: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Extra Knative settings: data merged into ConfigMaps of knative-serving, keyed by ConfigMap name (config-autoscaler: { scale-to-zero-grace-period: 30s }).'),
    domain: z.string().min(1).optional().describe('Domain of the Knative services (<svc>.<ns>.<domain>). Default: <first server IP>.sslip.io.'),
    tls: z.boolean().default(false).describe('HTTPS for Knative services through cert-manager (needs the cert-manager addon and your own domain).'),
    checksums,
    mirror,
  })
  .describe('Knative Serving with Kourier networking (release YAML; Traefik off, ServiceLB gives Kourier ports 80/443).');

export const KnativeEventingAddonSchema = z
  .strictObject({
    ...commonAddonFields,
    values: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Extra Knative settings: data merged into ConfigMaps of knative-eventing, keyed by ConfigMap name.'),
    checksums,
    mirror,
  })
  .describe('Knative Eventing with the in-memory channel and the MT channel broker.');
