import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImages } from '../../../src/addons/images/check.js';
import { parseWwwAuthenticate } from '../../../src/addons/images/challenge.js';
import type { AddonImage } from '../../../src/addons/types.js';
import { registryUnavailable, startRegistry, STANDARD_TEST_IMAGES, type LocalRegistry } from '../../support/registry.js';
import { TEST_TOKEN_SERVICE } from '../../support/registry-token.js';

const skip = registryUnavailable();
const img = (ref: string, component: string): AddonImage => ({ ref, component, overrideKey: `addons.test.images.${component}` });

describe.skipIf(skip)(`the anonymous bearer-token flow against docker-registry with auth: token${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', images: STANDARD_TEST_IMAGES, deniedRepositories: ['kbtest/private'] });
  }, 60_000);
  afterAll(async () => {
    await reg?.stop();
  });

  it('the registry really wants a token: an anonymous manifest GET is challenged', async () => {
    const res = await fetch(`${reg.baseUrl}/v2/kbtest/multi/manifests/1.0`);
    await res.body?.cancel();
    expect(res.status).toBe(401);
    const [challenge] = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    expect(challenge).toMatchObject({ scheme: 'bearer', params: { service: TEST_TOKEN_SERVICE, scope: 'repository:kbtest/multi:pull' } });
  });

  it('fetches one token per repository with the challenge service and pull scope, and reads index and config through it', async () => {
    const before = reg.tokenRequests.length;
    const report = await checkImages(
      [img(reg.images['kbtest/multi:1.0']!.ref, 'multi'), img(reg.images['kbtest/amd64only:3.0']!.ref, 'single'), img(`${reg.host}/kbtest/multi@${reg.images['kbtest/multi:1.0']!.digest}`, 'again')],
      ['arm64'],
      { mirrors: reg.mirrors(), noCache: true, concurrency: 1 },
    );
    expect(report.images.map((i) => [i.component, i.supports])).toEqual([
      ['multi', { arm64: true }],
      ['single', { arm64: false }],
      ['again', { arm64: true }],
    ]);
    expect(report.problems.map((p) => p.kind)).toEqual(['missing-architecture']);
    const asked = reg.tokenRequests.slice(before).map((q) => [q.get('service'), q.get('scope')]);
    expect(asked).toEqual([
      [TEST_TOKEN_SERVICE, 'repository:kbtest/multi:pull'],
      [TEST_TOKEN_SERVICE, 'repository:kbtest/amd64only:pull'],
    ]);
  });

  it('a repository the token service grants nothing on is named as not public', async () => {
    const report = await checkImages([img(`${reg.host}/kbtest/private:1`, 'private')], ['arm64'], { mirrors: reg.mirrors(), noCache: true });
    expect(report.problems).toMatchObject([{ kind: 'unauthorized', component: 'private', overrideKey: 'addons.test.images.private' }]);
    expect(report.problems[0]?.message).toBe(
      `private image ${reg.host}/kbtest/private:1: the repository does not exist or is not public (${reg.baseUrl} refused an anonymous pull)`,
    );
  });
});

describe.skipIf(skip)(`a registry that wants a password${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic' });
  }, 60_000);
  afterAll(async () => {
    await reg?.stop();
  });

  it('is refused as needing credentials, naming the image', async () => {
    const report = await checkImages([img(`${reg.host}/kbtest/multi:1.0`, 'basic')], ['arm64'], { mirrors: reg.mirrors(), noCache: true });
    expect(report.problems).toMatchObject([{ kind: 'unauthorized', component: 'basic' }]);
    expect(report.problems[0]?.message).toBe(
      `basic image ${reg.host}/kbtest/multi:1.0: ${reg.baseUrl} asks for credentials (basic); kbootstrap reads public images only`,
    );
  });
});
