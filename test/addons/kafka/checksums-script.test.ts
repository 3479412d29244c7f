import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knativeReleaseFiles, startReleaseMirror, type ReleaseMirror } from '../release-mirror.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/addon-checksums.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const BROKER = '/knative-extensions/eventing-kafka-broker/releases/download/knative-v1.23.0';

/**
 * scripts/addon-checksums.ts is the command the Kafka broker's checksum refusal names: run against a
 * loopback mirror of the release layout, it must print an entry (upstream URL → sha256 of the served
 * file) for every release file, the broker's two included although the broker is off by default.
 */
describe('scripts/addon-checksums.ts prints the sha256 of every release file, the Kafka broker\'s included', () => {
  let mirror: ReleaseMirror;
  beforeAll(async () => {
    mirror = await startReleaseMirror({
      ...knativeReleaseFiles(),
      [`${BROKER}/eventing-kafka-controller.yaml`]: '# stand-in controller release\n',
      [`${BROKER}/eventing-kafka-broker.yaml`]: '# stand-in data plane release\n',
    });
  });
  afterAll(async () => {
    await mirror?.close();
  });

  it('one RECORDED_SHA256 entry per file, keyed by the upstream URL', async () => {
    const { stdout } = await promisify(execFile)(TSX, [SCRIPT], { env: { ...process.env, KBOOTSTRAP_ADDON_MIRROR_URL: mirror.url } });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain(`  'https://github.com${BROKER}/eventing-kafka-controller.yaml': '${mirror.sums['eventing-kafka-controller.yaml']}',`);
    expect(lines).toContain(`  'https://github.com${BROKER}/eventing-kafka-broker.yaml': '${mirror.sums['eventing-kafka-broker.yaml']}',`);
    expect(lines).toHaveLength(mirror.requests.length);
    expect([...mirror.requests].sort()).toEqual(Object.keys({ ...knativeReleaseFiles(), [`${BROKER}/eventing-kafka-controller.yaml`]: 1, [`${BROKER}/eventing-kafka-broker.yaml`]: 1 }).sort());
  }, 60_000);
});
