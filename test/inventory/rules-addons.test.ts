import { describe, expect, it } from 'vitest';
import { checkRules, inputFromInventory, type FileProbe, type RuleContext } from '../../src/inventory/index.js';
import { addonInstallOrder, compareMinor, minKubernetesOf, minorOf } from '../../src/inventory/addons.js';
import { DEFAULT_ADDON_VERSIONS } from '../../src/inventory/schema-addons.js';
import { AddonsSchema, DEFAULT_K3S_VERSION, type AddonName } from '../../src/inventory/schema.js';
import { inventory } from './helpers.js';

const present: FileProbe = () => ({ kind: 'file', mode: 0o600, readable: true });
const ctx: RuleContext = { env: { PW: 'x' }, baseDir: '/inv', homeDir: '/home/u', probe: present };
const brief = (over: object) => checkRules(inputFromInventory(inventory(over)), ctx).map((p) => `${p.severity} ${p.path.join('.')}: ${p.message} (hint: ${p.hint})`);

describe('the Kubernetes floor of the addons', () => {
  it('refuses a pinned k3s older than Knative 1.23 accepts, naming the minimum and the fix', () => {
    expect(brief({ k3s: { version: 'v1.33.5+k3s1' }, addons: { 'knative-serving': {}, 'knative-eventing': {} } })).toEqual([
      'error k3s.version: knative-serving v1.23.0 needs Kubernetes 1.34 or newer, but k3s.version v1.33.5+k3s1 is Kubernetes 1.33 (hint: set k3s.version to a v1.34.x+k3s1 release or newer, or pin addons.knative-serving.version to a release that accepts 1.33)',
      'error k3s.version: knative-eventing v1.23.0 needs Kubernetes 1.34 or newer, but k3s.version v1.33.5+k3s1 is Kubernetes 1.33 (hint: set k3s.version to a v1.34.x+k3s1 release or newer, or pin addons.knative-eventing.version to a release that accepts 1.33)',
    ]);
  });

  it('accepts k3s at or above the floor, disabled addons, releases with no known floor, and the default k3s', () => {
    expect(brief({ k3s: { version: 'v1.34.1+k3s1' }, addons: { 'knative-serving': {} } })).toEqual([]);
    expect(brief({ k3s: { version: 'v1.35.0+k3s1' }, addons: { 'knative-eventing': {} } })).toEqual([]);
    expect(brief({ k3s: { version: 'v1.33.5+k3s1' }, addons: { 'knative-serving': { enabled: false } } })).toEqual([]);
    expect(brief({ k3s: { version: 'v1.30.2+k3s1' }, addons: { 'knative-serving': { version: 'v1.15.0' } } })).toEqual([]);
  });

  it("kbootstrap's default k3s clears the Kubernetes floor of every addon's default version", () => {
    const all = { 'cert-manager': {}, 'knative-serving': {}, 'knative-eventing': {} };
    expect(brief({ addons: all })).toEqual([]);
    for (const [name, version] of Object.entries(DEFAULT_ADDON_VERSIONS)) {
      const floor = minKubernetesOf(name as AddonName, version);
      if (floor) expect(compareMinor(minorOf(DEFAULT_K3S_VERSION)!, floor), `${name} ${version} needs ${floor}`).toBeGreaterThanOrEqual(0);
    }
    expect(minKubernetesOf('knative-serving', DEFAULT_ADDON_VERSIONS['knative-serving'])).toBe('1.34');
  });

  it('a pinned old Knative release with a known floor says so', () => {
    expect(brief({ k3s: { version: 'v1.32.0+k3s1' }, addons: { 'knative-eventing': { version: 'v1.22.1' } } })[0]).toMatch(
      /^error k3s.version: knative-eventing v1.22.1 needs Kubernetes 1.34 .* pin addons.knative-eventing.version to an older release\)$/,
    );
  });
});

describe('cert-manager and Knative settings', () => {
  it('refuses DNS-01 without a token', () => {
    expect(brief({ addons: { 'cert-manager': {} } })).toEqual([]);
    expect(brief({ addons: { 'cert-manager': { email: 'a@b.org', challenge: 'dns01-cloudflare' } } })[0]).toMatch(/^error addons.cert-manager.challenge: the dns01-cloudflare challenge needs a Cloudflare API token/);
    expect(brief({ addons: { 'cert-manager': { email: 'a@b.org', challenge: 'dns01-cloudflare', cloudflareApiToken: { env: 'CF' } } } })).toEqual([]);
  });

  it('refuses Knative values that are not ConfigMap data', () => {
    expect(brief({ addons: { 'knative-serving': { values: { 'config-autoscaler': ['x'] } } } })[0]).toMatch(/^error addons.knative-serving.values.config-autoscaler: .* must be ConfigMap data/);
    expect(brief({ addons: { 'knative-serving': { values: { 'config-autoscaler': { 'enable-scale-to-zero': true } } } } })).toEqual([]);
  });

  it('warns when Knative Serving has no ServiceLB for Kourier', () => {
    expect(brief({ k3s: { disable: ['traefik', 'servicelb'] }, addons: { 'knative-serving': {} } })).toEqual([
      "warning k3s.disable: Kourier's LoadBalancer Service gets ports 80/443 from k3s's ServiceLB, which this inventory disables (hint: take servicelb out of k3s.disable, or bring another load balancer (MetalLB) for Knative Serving)",
    ]);
  });

  it('Knative TLS needs cert-manager, which then goes first', () => {
    expect(brief({ addons: { 'knative-serving': { tls: true } } })[0]).toMatch(/^error addons.knative-serving.tls: knative-serving.tls needs the cert-manager addon/);
    expect(addonInstallOrder(AddonsSchema.parse({ 'knative-eventing': {}, 'knative-serving': { tls: true }, 'cert-manager': { email: 'a@b.org' } }))).toEqual([
      'cert-manager',
      'knative-serving',
      'knative-eventing',
    ]);
  });
});
