import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ExecOptions, ExecResult, WriteFileOptions } from '../../src/ssh/transport.js';
import { FakeTransport } from '../support/fake-transport.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Splits a line the way sh would for the simple quoting shellQuote produces. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '\\' && line[i + 1] === "'") {
      cur += "'";
      i++;
    } else if (ch === ' ') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

type Obj = Record<string, unknown>;

/**
 * A first server for the addon engine's tests: a manifests dir held in memory, and a cluster that
 * answers `k3s kubectl get` with objects that are ready unless the test says otherwise. Not k3s: it
 * knows only the shapes the engine reads (conditions, endpoints).
 */
export class FakeClusterServer extends FakeTransport {
  /** kubectl get answers the test overrides, keyed "resource ns/name" or "resource name". */
  readonly overrides = new Map<string, Obj | null>();
  /** Objects that exist only after a step ran (probe answers), keyed like overrides, value = jsonpath answer. */
  readonly probes = new Map<string, string>();
  readonly kubectl: string[][] = [];
  readonly stdins: string[] = [];

  constructor(name = 'kmaster') {
    super(name);
  }

  override async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.stats.execs++;
    this.commands.push(command);
    if (opts.stdin) this.stdins.push(opts.stdin);
    return { stdout: this.run1(command, opts.stdin), stderr: '', code: 0 };
  }

  private manifestSums(dir: string): string {
    return [...this.files]
      .filter(([p]) => p.startsWith(`${dir}/`) && /\.(ya?ml|json)$/.test(p))
      .map(([p, c]) => `${sha(c)}  ${p.slice(dir.length + 1)}\n`)
      .join('');
  }

  private get(args: string[]): { code: number; out: string } {
    const [, resource, ...rest] = args;
    let ns: string | undefined;
    const pos: string[] = [];
    let output = 'json';
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '-n') ns = rest[++i];
      else if (rest[i] === '-o') output = rest[++i]!;
      else pos.push(rest[i]!);
    }
    const key = `${resource} ${ns ? `${ns}/` : ''}${pos[0]}`;
    if (output.startsWith('jsonpath=')) {
      const v = this.probes.get(key);
      return v === undefined ? { code: 1, out: `Error from server (NotFound): ${resource} "${pos[0]}" not found` } : { code: 0, out: v };
    }
    if (resource === 'addon' && !this.overrides.has(key)) {
      // The deploy controller: Addon <stem> carries the sha256 of the file it applied.
      const file = [...this.files].find(([p]) => p.startsWith('/var/lib/rancher/k3s/server/manifests/') && p.split('/').pop()!.split('.')[0] === pos[0]);
      return file ? { code: 0, out: JSON.stringify({ spec: { checksum: sha(file[1]) } }) } : { code: 1, out: `Error from server (NotFound): addons.k3s.cattle.io "${pos[0]}" not found` };
    }
    if (this.overrides.has(key)) {
      const o = this.overrides.get(key);
      return o ? { code: 0, out: JSON.stringify(o) } : { code: 1, out: `Error from server (NotFound): ${resource} "${pos[0]}" not found` };
    }
    const ready: Record<string, Obj> = {
      helmchart: { status: { jobName: `helm-install-${pos[0]}` } },
      job: { status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } },
      deployment: { status: { conditions: [{ type: 'Available', status: 'True' }] } },
      customresourcedefinition: { status: { conditions: [{ type: 'Established', status: 'True' }] } },
      endpoints: { subsets: [{ addresses: [{ ip: '10.42.0.9' }] }] },
    };
    return { code: 0, out: JSON.stringify(ready[resource!] ?? {}) };
  }

  /** Runs the engine's scripts line by line (printf markers, the state command, kubectl, sha256sum). */
  private run1(command: string, stdin?: string): string {
    let out = '';
    let rc = 0;
    for (const line of command.split('\n')) {
      const printf = /^printf '(.*)' ?(\$\?|"\$rc")?$/.exec(line);
      if (printf) {
        out += printf[1]!.replace(/\\n/g, '\n').replace('%d', String(rc));
        continue;
      }
      const state = /cd '?([^' ]+)'? 2>\/dev\/null && for f in/.exec(line);
      if (state) {
        const index = this.files.get('/var/lib/kbootstrap/addons.json');
        out += `${this.manifestSums(state[1]!)}@@index\n${index ?? ''}`;
        rc = 0;
        continue;
      }
      if (line.startsWith('sha256sum -- ')) {
        const path = shellWords(line)[2]!;
        const c = this.files.get(path);
        out += c === undefined ? '' : `${sha(c)}  ${path}\n`;
        continue;
      }
      if (line.startsWith('k3s kubectl ')) {
        const args = shellWords(line.replace(/ 2>(&1|"\$e")$/, '')).slice(2);
        this.kubectl.push(args);
        if (args[0] === 'get') {
          const r = this.get(args);
          out += r.out;
          rc = r.code;
        } else {
          this.record(args, stdin);
          rc = 0;
        }
        continue;
      }
      if (line.includes('mkdir -p') && line.includes('removed-addons')) {
        const m = /mv -f -- '?([^' ]+)'? /.exec(line);
        if (m) this.files.delete(m[1]!);
        this.kubectl.push(['remove', m?.[1] ?? '']);
      }
    }
    return out;
  }

  /** What an apply or patch leaves behind that the engine's probes read: the applied annotation. */
  private record(args: string[], stdin?: string): void {
    if (args[0] === 'apply' && stdin) {
      for (const doc of parseAllDocuments(stdin)) {
        const o = doc.toJS() as { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } };
        const key = `${o.kind.toLowerCase()} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
        this.probes.set(key, o.metadata.annotations?.['kbootstrap.io/applied'] ?? '');
      }
    }
    if (args[0] === 'patch') {
      const ns = args[args.indexOf('-n') + 1];
      const patch = JSON.parse(args[args.indexOf('-p') + 1]!) as { metadata: { annotations: Record<string, string> } };
      this.probes.set(`${args[1]} ${ns}/${args[2]}`, patch.metadata.annotations['kbootstrap.io/applied']!);
    }
  }

  override async upload(localPath: string, remotePath: string, _opts?: WriteFileOptions): Promise<void> {
    this.stats.execs++;
    this.commands.push(`upload ${localPath} ${remotePath}`);
    this.files.set(remotePath, readFileSync(localPath, 'utf8'));
  }
}
