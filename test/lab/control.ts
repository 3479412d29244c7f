import { request } from 'node:http';

/** Sends one request to a lab supervisor over its unix socket. */
export function controlRequest(socketPath: string, body: { op: string; node?: string }, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/', method: 'POST', timeout: timeoutMs }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        if (res.statusCode === 200) resolve();
        else reject(new Error(`lab supervisor refused ${body.op}: ${text}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`lab supervisor did not answer ${body.op} in time`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
