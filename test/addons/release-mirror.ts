import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Stand-in release files on 127.0.0.1 in GitHub's layout (/<org>/<repo>/releases/download/<tag>/<file>). */
export interface ReleaseMirror {
  url: string;
  requests: string[];
  /** sha256 of each served file, keyed by file name (what `addons.<name>.checksums` pins). */
  sums: Record<string, string>;
  close(): Promise<void>;
}

export async function startReleaseMirror(files: Record<string, string>): Promise<ReleaseMirror> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const body = files[path];
    if (body === undefined) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sums: Record<string, string> = {};
  for (const [path, body] of Object.entries(files)) sums[path.slice(path.lastIndexOf('/') + 1)] = createHash('sha256').update(body).digest('hex');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    sums,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A small release file per Knative asset of a version (content names the file: the engine never parses it). */
export function knativeReleaseFiles(version = 'v1.23.0'): Record<string, string> {
  const tag = `knative-${version}`;
  const doc = (name: string) => `# stand-in release file ${name} ${tag}\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: standin-${name.replace(/\W/g, '-')}, namespace: default }\n`;
  const out: Record<string, string> = {};
  for (const f of ['serving-crds.yaml', 'serving-core.yaml']) out[`/knative/serving/releases/download/${tag}/${f}`] = doc(f);
  out[`/knative-extensions/net-kourier/releases/download/${tag}/kourier.yaml`] = doc('kourier.yaml');
  for (const f of ['eventing-crds.yaml', 'eventing-core.yaml', 'in-memory-channel.yaml', 'mt-channel-broker.yaml']) out[`/knative/eventing/releases/download/${tag}/${f}`] = doc(f);
  return out;
}
