import { describe, expect, it } from 'vitest';
import { inputFromInventory } from '../../src/inventory/rule-types.js';
import { streamAddonRules } from '../../src/inventory/rules-addons-stream.js';
import { KafkaAddonSchema, OpenWhiskAddonSchema } from '../../src/inventory/schema-addons-stream.js';
import type { Inventory } from '../../src/inventory/schema.js';
import { inventory } from './helpers.js';

/** The inventory helper with addons parsed by this file's schemas (as schema.ts holds them once wired). */
function withAddons(addons: { kafka?: unknown; openwhisk?: unknown }, board: Inventory['board'] = 'rpi4') {
  const inv = inventory({ board });
  const parsed: Record<string, unknown> = {};
  if (addons.kafka) parsed.kafka = KafkaAddonSchema.parse(addons.kafka);
  if (addons.openwhisk) parsed.openwhisk = OpenWhiskAddonSchema.parse(addons.openwhisk);
  return streamAddonRules(inputFromInventory({ ...inv, addons: parsed as Inventory['addons'] }));
}

describe('Kafka and OpenWhisk inventory rules', () => {
  it('more Kafka nodes than machines is an error on the replicas line', () => {
    const problems = withAddons({ kafka: { replicas: 3 } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', path: ['addons', 'kafka', 'replicas'] });
    expect(problems[0]!.message).toMatch(/3 Kafka nodes need 3 machines .* the inventory has 2/);
    expect(withAddons({ kafka: { replicas: 2 } })).toEqual([]);
  });

  it('OpenWhisk on Pi boards with the Apache images: a warning naming every component and key', () => {
    const [w] = withAddons({ openwhisk: {} });
    expect(w).toMatchObject({ severity: 'warning', path: ['addons', 'openwhisk'] });
    expect(w!.message).toMatch(/controller, invoker, utility, apigw images are Apache's amd64-only defaults/);
    expect(w!.hint).toContain('addons.openwhisk.images.controller');
    expect(withAddons({ openwhisk: {} }, 'vagrant')).toEqual([]);
    const images = Object.fromEntries(['controller', 'invoker', 'utility', 'apigw'].map((c) => [c, { imageName: `me/${c}` }]));
    expect(withAddons({ openwhisk: { images } })).toEqual([]);
  });
});
