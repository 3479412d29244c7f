import { describe, expect, it } from 'vitest';
import { openwhiskArm64Refusal } from '../../../src/addons/openwhisk/arm64.js';
import { openwhiskAddon, wskPropertyLine } from '../../../src/addons/openwhisk/index.js';
import { openwhiskValues } from '../../../src/addons/openwhisk/values.js';
import { UserError } from '../../../src/errors.js';
import { OpenWhiskAddonSchema } from '../../../src/inventory/schema-addons-stream.js';
import { cluster, input } from '../kafka/cluster.js';

const ARM_IMAGES = Object.fromEntries(
  ['controller', 'invoker', 'utility', 'apigw', 'alarmprovider', 'kafkaprovider'].map((c) => [c, { imageName: `registry.example/arm64/${c}`, imageTag: '1' }]),
);

function refusal(openwhisk: unknown, architectures: string[]) {
  const facts = cluster(1, { arch: architectures[0] });
  facts.architectures = architectures;
  return openwhiskArm64Refusal(openwhiskValues(OpenWhiskAddonSchema.parse(openwhisk), facts), architectures);
}

describe('OpenWhisk on arm64 nodes', () => {
  it('amd64 nodes: the Apache images are fine', () => {
    expect(refusal({}, ['amd64'])).toBeUndefined();
  });

  it('arm64 nodes: refuses the amd64-only defaults, listing each component, its image and key', () => {
    const r = refusal({}, ['arm64', 'amd64'])!;
    expect(r.components.map((c) => c.component)).toEqual(['controller', 'invoker', 'utility', 'apigw']);
    expect(r.components[0]).toEqual({ component: 'controller', image: 'openwhisk/controller:ef725a6', key: 'addons.openwhisk.images.controller' });
    expect(r.message).toContain('controller: openwhisk/controller:ef725a6 (set addons.openwhisk.images.controller.imageName and .imageTag)');
    expect(refusal({ providers: true }, ['arm64'])!.components.map((c) => c.component)).toContain('kafkaprovider');
  });

  it('images given in the inventory, or in chart values, lift the refusal (the image check then asks the registries)', () => {
    expect(refusal({ images: ARM_IMAGES }, ['arm64'])).toBeUndefined();
    const viaValues = { values: { controller: { imageName: 'a/c' }, invoker: { imageName: 'a/i' }, utility: { imageName: 'a/u' }, apigw: { imageName: 'a/g' } } };
    expect(refusal(viaValues, ['arm64'])).toBeUndefined();
    expect(refusal({ images: { controller: { imageTag: 'other' } } }, ['arm64'])!.components[0]!.image).toBe('openwhisk/controller:other');
  });

  it('render refuses before producing anything to apply', () => {
    let caught: unknown;
    try {
      openwhiskAddon.render(input({ openwhisk: {} }, cluster(2, { arch: 'arm64' })));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).message).toMatch(/arm64 nodes, and 4 component image\(s\) are Apache's amd64-only defaults/);
    const ok = openwhiskAddon.render(input({ openwhisk: { images: ARM_IMAGES } }, cluster(2, { arch: 'arm64' })));
    expect(ok.images.find((i) => i.component === 'invoker')!.ref).toBe('registry.example/arm64/invoker:1');
  });

  it('the wsk line carries the guest key read from the cluster once ready; the read is no change', () => {
    const r = openwhiskAddon.render(input({ openwhisk: {} }, cluster(1, { arch: 'amd64' })));
    expect(r.steps).toEqual([]);
    const [q] = r.noteQueries!;
    expect(q!.args).toEqual(['get', 'secret', 'openwhisk-whisk.auth', '-n', 'openwhisk', '-o', 'jsonpath={.data.guest}']);
    expect(r.notes.join('\n')).not.toMatch(/--auth/);
    const key = 'guest-uuid:secret-part';
    expect(wskPropertyLine('10.77.4.10', Buffer.from(key).toString('base64'))).toBe(`wsk property set --apihost 10.77.4.10:31001 --auth ${key}`);
    expect(q!.note(Buffer.from(key).toString('base64'))).toBe(`from your laptop: wsk property set --apihost 10.77.4.10:31001 --auth ${key}`);
  });
});
