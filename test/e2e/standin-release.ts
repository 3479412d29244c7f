import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const STANDIN = fileURLToPath(new URL('../lab/k3s-standin/k3s-standin', import.meta.url));

/** The lab's k3s stand-in (not k3s) with its reported version set to `version`. */
export function standinFor(version: string): Buffer {
  const text = readFileSync(STANDIN, 'utf8').replace(/^STANDIN_VERSION = ".*"$/m, `STANDIN_VERSION = "${version}"`);
  return Buffer.from(text);
}

/**
 * A k3s release layout on 127.0.0.1 (`<base>/<version>/k3s`, `k3s-arm64`, `sha256sum-<arch>.txt`)
 * whose every asset is the k3s stand-in, so kbootstrap's real download → checksum → cache → upload
 * path runs in the lab. kbootstrap is pointed at it with KBOOTSTRAP_K3S_RELEASE_URL, and at its
 * channels (`<url>/channels/<name>`, redirects like update.k3s.io's to `channels[name]`) with
 * KBOOTSTRAP_K3S_CHANNEL_URL=`<url>/channels`.
 */
export async function startStandinRelease(channels: Record<string, string> = {}): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '');
    requests.push(path);
    const channel = /^\/channels\/([^/]+)$/.exec(path);
    if (channel) {
      const target = channels[channel[1]!];
      if (!target) return void res.writeHead(404).end('no such channel');
      return void res.writeHead(302, { location: `https://github.com/k3s-io/k3s/releases/tag/${encodeURIComponent(target)}` }).end();
    }
    const m = /^\/(v[^/]+)\/(k3s(?:-arm64|-armhf)?|sha256sum-(amd64|arm64|arm)\.txt)$/.exec(path);
    if (!m) return void res.writeHead(404).end('Not Found');
    const body = standinFor(m[1]!);
    if (m[3]) {
      const asset = m[3] === 'amd64' ? 'k3s' : m[3] === 'arm64' ? 'k3s-arm64' : 'k3s-armhf';
      return void res.writeHead(200).end(`${createHash('sha256').update(body).digest('hex')}  ${asset}\n`);
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
