import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A k3s release layout on 127.0.0.1: /download/<version>/<asset>, sha256sum-<arch>.txt, channel redirects. */
export interface FakeRelease {
  baseUrl: string;
  channelBaseUrl: string;
  /** Every request path, in order. */
  requests: string[];
  binaries: Record<string, Buffer>;
  /** Overrides the hash written into sha256sum files (to simulate a corrupted download). */
  lieAboutHash?: string;
  close(): Promise<void>;
}

export async function startFakeRelease(version: string, channels: Record<string, string> = {}): Promise<FakeRelease> {
  const binaries: Record<string, Buffer> = {
    k3s: Buffer.from(`#!/bin/sh\necho k3s ${version} amd64\n`),
    'k3s-arm64': Buffer.from(`#!/bin/sh\necho k3s ${version} arm64\n${'x'.repeat(100_000)}\n`),
    'k3s-armhf': Buffer.from(`#!/bin/sh\necho k3s ${version} armhf\n`),
  };
  const sums: Record<string, string> = { amd64: 'k3s', arm64: 'k3s-arm64', arm: 'k3s-armhf' };
  const release: FakeRelease = {
    baseUrl: '',
    channelBaseUrl: '',
    requests: [],
    binaries,
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    release.requests.push(url);
    const channel = /^\/v1-release\/channels\/([^/]+)$/.exec(url);
    if (channel) {
      const target = channels[decodeURIComponent(channel[1]!)];
      if (!target) return void res.writeHead(404).end('no such channel');
      return void res.writeHead(302, { location: `https://github.com/k3s-io/k3s/releases/tag/${encodeURIComponent(target)}` }).end();
    }
    const file = /^\/download\/([^/]+)\/([^/]+)$/.exec(url);
    if (!file || decodeURIComponent(file[1]!) !== version) return void res.writeHead(404).end('Not Found');
    const name = file[2]!;
    const arch = /^sha256sum-(\w+)\.txt$/.exec(name)?.[1];
    if (arch && sums[arch]) {
      const asset = sums[arch]!;
      const hash = release.lieAboutHash ?? createHash('sha256').update(binaries[asset]!).digest('hex');
      return void res.writeHead(200).end(`${'0'.repeat(64)}  k3s-airgap-images-${arch}.tar.zst\n${hash}  ${asset}\n`);
    }
    const body = binaries[name];
    if (!body) return void res.writeHead(404).end('Not Found');
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  release.baseUrl = `http://127.0.0.1:${port}/download`;
  release.channelBaseUrl = `http://127.0.0.1:${port}/v1-release/channels`;
  return release;
}
