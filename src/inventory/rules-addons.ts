import { activeDependencies, compareMinor, isEnabled, minKubernetesOf, minorOf } from './addons.js';
import { ADDON_NAMES, K3S_VERSION_PATTERN } from './schema.js';
import { DEFAULT_ADDON_VERSIONS } from './schema-addons.js';
import { error, warning, type RuleInput, type RuleProblem } from './rule-types.js';

/** Dependencies between addons, and known traps (arm64 images, ports taken by Traefik). */
export function addonRules(input: RuleInput): RuleProblem[] {
  const addons = input.addons;
  if (!addons) return [];
  const out: RuleProblem[] = [];

  for (const dep of activeDependencies(addons)) {
    if (isEnabled(addons, dep.needs)) continue;
    const what = dep.setting ? `${dep.addon}.${dep.setting}` : dep.addon;
    out.push(
      error({
        path: dep.setting ? ['addons', dep.addon, dep.setting] : ['addons', dep.addon],
        message: `${what} needs the ${dep.needs} addon: ${dep.reason}`,
        hint: addons[dep.needs] ? `set addons.${dep.needs}.enabled: true` : `add "${dep.needs}: {}" under addons${dep.setting ? `, or set ${dep.setting}: false` : ''}`,
      }),
    );
  }

  out.push(...kubernetesFloorRules(input), ...certManagerRules(input), ...knativeValuesRules(input));

  if (isEnabled(addons, 'knative-serving') && input.k3s?.disable.includes('servicelb')) {
    out.push(
      warning({
        path: ['k3s', 'disable'],
        message: "Kourier's LoadBalancer Service gets ports 80/443 from k3s's ServiceLB, which this inventory disables",
        hint: 'take servicelb out of k3s.disable, or bring another load balancer (MetalLB) for Knative Serving',
      }),
    );
  }

  if (isEnabled(addons, 'knative-serving') && input.k3s && !input.k3s.disable.includes('traefik')) {
    out.push(
      warning({
        path: ['k3s', 'disable'],
        message: "Knative's Kourier and k3s's Traefik both want ports 80 and 443",
        hint: 'keep traefik in k3s.disable when knative-serving is on',
      }),
    );
  }
  return out;
}

/**
 * An addon whose release refuses the k3s's Kubernetes is refused here, not on the cluster (the default
 * k3s clears every default addon's floor: test/inventory/rules-addons.test.ts holds it to that).
 */
function kubernetesFloorRules(input: RuleInput): RuleProblem[] {
  const addons = input.addons;
  const k3sVersion = input.k3s?.version;
  const k8s = k3sVersion && K3S_VERSION_PATTERN.test(k3sVersion) ? minorOf(k3sVersion) : undefined;
  if (!addons || !k3sVersion || !k8s) return [];
  const out: RuleProblem[] = [];
  for (const name of ADDON_NAMES) {
    if (!isEnabled(addons, name)) continue;
    const pinned = addons[name]?.version;
    const version = pinned ?? (DEFAULT_ADDON_VERSIONS as Partial<Record<string, string>>)[name];
    const floor = version ? minKubernetesOf(name, version) : undefined;
    if (!floor || compareMinor(k8s, floor) >= 0) continue;
    out.push(
      error({
        path: ['k3s', 'version'],
        message: `${name} ${version} needs Kubernetes ${floor} or newer, but k3s.version ${k3sVersion} is Kubernetes ${k8s}`,
        hint: `set k3s.version to a v${floor}.x+k3s1 release or newer${pinned ? `, or pin addons.${name}.version to an older release` : `, or pin addons.${name}.version to a release that accepts ${k8s}`}`,
      }),
    );
  }
  return out;
}

/** DNS-01 needs the token reference (without an e-mail no issuers are made: the schema says so). */
function certManagerRules(input: RuleInput): RuleProblem[] {
  const cm = input.addons?.['cert-manager'];
  if (!cm?.enabled || !cm.issuers) return [];
  const out: RuleProblem[] = [];
  if (cm.challenge === 'dns01-cloudflare' && !cm.cloudflareApiToken) {
    out.push(
      error({
        path: ['addons', 'cert-manager', 'challenge'],
        message: 'the dns01-cloudflare challenge needs a Cloudflare API token',
        hint: 'set addons.cert-manager.cloudflareApiToken: { env: CLOUDFLARE_API_TOKEN } (or { file: path })',
      }),
    );
  }
  return out;
}

/** Knative's values are ConfigMap data: { config-name: { key: text } }. */
function knativeValuesRules(input: RuleInput): RuleProblem[] {
  const out: RuleProblem[] = [];
  for (const name of ['knative-serving', 'knative-eventing'] as const) {
    const values = input.addons?.[name]?.values ?? {};
    for (const [cm, data] of Object.entries(values)) {
      const ok = data !== null && typeof data === 'object' && !Array.isArray(data) && Object.values(data).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
      if (!ok) {
        out.push(
          error({
            path: ['addons', name, 'values', cm],
            message: `addons.${name}.values.${cm} must be ConfigMap data: a map of keys to text`,
            hint: `e.g. values: { ${cm}: { some-key: "some value" } }`,
          }),
        );
      }
    }
  }
  return out;
}
