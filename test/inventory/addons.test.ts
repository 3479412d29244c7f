import { describe, expect, it } from 'vitest';
import { ADDON_DEPENDENCIES, addonInstallOrder } from '../../src/inventory/addons.js';
import { AddonsSchema, ADDON_NAMES } from '../../src/inventory/schema.js';

describe('addon dependencies', () => {
  it('every edge joins known addons and says why', () => {
    for (const d of ADDON_DEPENDENCIES) {
      expect(ADDON_NAMES).toContain(d.addon);
      expect(ADDON_NAMES).toContain(d.needs);
      expect(d.reason.length).toBeGreaterThan(10);
    }
  });

  it('installs what is needed first', () => {
    const config = AddonsSchema.parse({ kafka: { knativeBroker: true }, 'knative-eventing': {}, openwhisk: {} });
    const order = addonInstallOrder(config);
    expect(order).toEqual(['knative-eventing', 'kafka', 'openwhisk']);
    expect(order.indexOf('knative-eventing')).toBeLessThan(order.indexOf('kafka'));
  });
});
