import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_K3S_VERSION } from '../../src/inventory/schema.js';
import { resolveK3sVersion } from '../../src/k3s/binary.js';
import { k3sBinaryPhase } from '../../src/phases/k3s-binary.js';
import { runPhases } from '../../src/phases/manager.js';
import { makeFacts } from '../support/facts-factory.js';
import { k3sVersionOf, k3sVersionPhase } from '../../src/phases/k3s-version.js';
import { FakeTransport } from '../support/fake-transport.js';
import { startStandinRelease } from '../e2e/standin-release.js';
import { startFakeRelease, type FakeRelease } from '../k3s/release-server.js';
import { INVENTORY, testContext, testInventory } from './fixtures.js';

// The channel server is a local stand-in for update.k3s.io (test/k3s/release-server.ts): a redirect per channel.
let release: FakeRelease | undefined;
const saved = process.env.KBOOTSTRAP_K3S_CHANNEL_URL;
afterEach(async () => {
  await release?.close();
  release = undefined;
  if (saved === undefined) delete process.env.KBOOTSTRAP_K3S_CHANNEL_URL;
  else process.env.KBOOTSTRAP_K3S_CHANNEL_URL = saved;
});

const withVersion = (version: string) => testInventory(`${INVENTORY}k3s: { version: ${version} }\n`);
const connect = async (n: { name: string }) => new FakeTransport(n.name);
const texts = (events: { kind: string; text?: string }[]) => events.filter((e) => e.kind === 'message').map((e) => e.text);

describe('k3s version phase', () => {
  it('a pinned release: no request, the version as written', async () => {
    const ctx = testContext(withVersion('v1.34.3+k3s3'), connect);
    await runPhases(ctx, [k3sVersionPhase]);
    expect(ctx.shared.k3sVersion).toBeUndefined();
    expect(k3sVersionOf(ctx)).toBe('v1.34.3+k3s3');
  });

  it('a channel is resolved once at init, and said', async () => {
    release = await startFakeRelease('v1.35.1+k3s1', { stable: 'v1.35.1+k3s1' });
    process.env.KBOOTSTRAP_K3S_CHANNEL_URL = release.channelBaseUrl;
    const ctx = testContext(withVersion('stable'), connect);
    await runPhases(ctx, [k3sVersionPhase, k3sVersionPhase]);
    expect(k3sVersionOf(ctx)).toBe('v1.35.1+k3s1');
    expect(release.requests).toEqual(['/v1-release/channels/stable']);
    expect(texts(ctx.log.events)).toContain('k3s channel stable resolved to v1.35.1+k3s1: every node of this run gets it');
  });

  it('plan contacts nothing and says the channel is resolved at init', async () => {
    process.env.KBOOTSTRAP_K3S_CHANNEL_URL = 'http://127.0.0.1:1/never';
    const ctx = testContext(withVersion('latest'), connect, true);
    await runPhases(ctx, [k3sVersionPhase]);
    expect(ctx.shared.k3sVersion).toBeUndefined();
    expect(k3sVersionOf(ctx)).toBe('latest');
    expect(texts(ctx.log.events)).toEqual(['k3s channel latest: resolved at init (plan contacts no server)']);
  });

  it('plan with a channel: the binary step looks nothing up and fetches nothing', async () => {
    process.env.KBOOTSTRAP_K3S_CHANNEL_URL = 'http://127.0.0.1:1/never';
    const saved = process.env.KBOOTSTRAP_K3S_RELEASE_URL;
    process.env.KBOOTSTRAP_K3S_RELEASE_URL = 'http://127.0.0.1:1/never';
    try {
      const ctx = testContext(withVersion('stable'), connect, true);
      for (const s of ctx.states) s.facts = makeFacts();
      await runPhases(ctx, [k3sVersionPhase, k3sBinaryPhase]);
      expect(ctx.shared.binaries.size).toBe(0);
      expect(ctx.states.every((s) => !s.error)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.KBOOTSTRAP_K3S_RELEASE_URL;
      else process.env.KBOOTSTRAP_K3S_RELEASE_URL = saved;
    }
  });
});

describe("the lab's stand-in release server", () => {
  it('answers a channel the way update.k3s.io does, and serves the stand-in of the release it names', async () => {
    const server = await startStandinRelease({ stable: DEFAULT_K3S_VERSION });
    try {
      const version = await resolveK3sVersion('stable', { channelBaseUrl: `${server.url}/channels` });
      expect(version).toBe(DEFAULT_K3S_VERSION);
      const body = await (await fetch(`${server.url}/${encodeURIComponent(version)}/k3s`)).text();
      expect(body).toContain(`STANDIN_VERSION = "${DEFAULT_K3S_VERSION}"`);
    } finally {
      await server.close();
    }
  });
});
