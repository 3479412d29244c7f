import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImages, formatImageTable } from '../../../src/addons/images/index.js';
import { openwhiskArm64Refusal } from '../../../src/addons/openwhisk/arm64.js';
import { openwhiskAddon } from '../../../src/addons/openwhisk/index.js';
import { openwhiskValues } from '../../../src/addons/openwhisk/values.js';
import { OPENWHISK_COMPONENTS, OpenWhiskAddonSchema } from '../../../src/inventory/schema-addons-stream.js';
import { registryUnavailable, startRegistry, type LocalRegistry, type TestImageSpec } from '../../support/registry.js';
import { cluster, input } from '../kafka/cluster.js';

/**
 * OpenWhisk's images against a real distribution registry on loopback (docker.io and ghcr.io mirrored to
 * it): the Apache components are pushed as the single-arch amd64 manifests they are upstream; the other
 * defaults as multi-arch lists (their arm64 upstream is for the live check to say); the overrides as
 * arm64 builds. The table shows why the pure refusal refuses.
 */
const unavailable = registryUnavailable();
const repo = (imageName: string) => (imageName.includes('/') ? imageName : `library/${imageName}`);
const ARM64 = ['controller', 'invoker', 'utility', 'apigw'] as const;
const OVERRIDES = Object.fromEntries(ARM64.map((c) => [c, { imageName: `ghcr.io/kb/openwhisk-${c}`, imageTag: 'arm64' }]));

describe.skipIf(unavailable !== undefined)(`OpenWhisk images × architecture on a loopback registry${unavailable ? ` (${unavailable})` : ''}`, () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    const images: TestImageSpec[] = OPENWHISK_COMPONENTS.map((c) =>
      c.amd64Only
        ? { repository: repo(c.imageName), tag: c.imageTag, format: 'docker-manifest', platform: 'linux/amd64' }
        : { repository: repo(c.imageName), tag: c.imageTag, format: 'docker-list', platforms: ['linux/amd64', 'linux/arm64/v8'] },
    );
    for (const c of ARM64) images.push({ repository: `kb/openwhisk-${c}`, tag: 'arm64', format: 'oci-index', platforms: ['linux/arm64'] });
    images.push({ repository: 'kb/openwhisk-controller', tag: 'amd64', format: 'oci-manifest', platform: 'linux/amd64' });
    reg = await startRegistry({ auth: 'token', images });
  }, 60_000);
  afterAll(async () => {
    await reg?.stop();
  });

  it('the defaults: the table marks the refused components ✘ for arm64, with their keys', async () => {
    const images = openwhiskAddon.render(input({ openwhisk: {} }, cluster(1, { arch: 'amd64' }))).images;
    const report = await checkImages(images, ['arm64', 'amd64'], { mirrors: reg.mirrors('docker.io'), noCache: true });
    const table = formatImageTable(report);
    console.log(table.join('\n'));
    const lacking = report.problems.filter((p) => p.kind === 'missing-architecture').map((p) => [p.component, p.overrideKey]);
    expect(lacking).toEqual(ARM64.map((c) => [c, `addons.openwhisk.images.${c}`]));
    expect(report.problems.filter((p) => p.kind !== 'missing-architecture')).toEqual([]);
    const refused = openwhiskArm64Refusal(openwhiskValues(OpenWhiskAddonSchema.parse({}), cluster(1)), ['arm64'])!;
    expect(refused.components.map((c) => c.component)).toEqual(lacking.map(([c]) => c));
  });

  it('arm64 overrides: render passes and the registries confirm arm64 for every image', async () => {
    const images = openwhiskAddon.render(input({ openwhisk: { images: OVERRIDES } }, cluster(2, { arch: 'arm64' }))).images;
    const report = await checkImages(images, ['arm64'], { mirrors: reg.mirrors('docker.io', 'ghcr.io'), noCache: true });
    expect(report.problems).toEqual([]);
    expect(report.images.every((i) => i.supports.arm64 === true)).toBe(true);
  });

  it('an override that is itself amd64 only passes the pure refusal but not the image check, which names its key', async () => {
    const wrong = { ...OVERRIDES, controller: { imageName: 'ghcr.io/kb/openwhisk-controller', imageTag: 'amd64' } };
    const images = openwhiskAddon.render(input({ openwhisk: { images: wrong } }, cluster(2, { arch: 'arm64' }))).images;
    const report = await checkImages(images, ['arm64'], { mirrors: reg.mirrors('docker.io', 'ghcr.io'), noCache: true });
    expect(report.problems.map((p) => [p.kind, p.component, p.overrideKey])).toEqual([['missing-architecture', 'controller', 'addons.openwhisk.images.controller']]);
  });
});
