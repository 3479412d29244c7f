import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadInventory, parseInventoryText } from '../../src/inventory/index.js';

const env = { PW: 'secret-value' };
const valid = `cluster:
  name: pi
ssh:
  password: { env: PW }
network:
  gateway: 192.168.2.1
nodes:
  - name: kmaster
    role: server
    address: 192.168.2.100
    staticIp: 192.168.2.50
`;

describe('parseInventoryText', () => {
  it('returns the resolved inventory of a valid text', () => {
    const r = parseInventoryText(valid, '/tmp/inv/pi.yaml', env);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.inventory.file).toBe('/tmp/inv/pi.yaml');
    expect(r.inventory.nodes[0]!.target).toEqual({ ip: '192.168.2.50', prefix: 24, gateway: '192.168.2.1', dns: ['192.168.2.1'] });
    expect(r.warnings).toEqual([]);
  });

  it('places a wrong value at its line and column, with path and node', () => {
    const text = valid.replace('staticIp: 192.168.2.50', 'staticIp: 192.168.2.500');
    const r = parseInventoryText(text, 'pi.yaml', env);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      {
        message: 'nodes[0].staticIp: must be an IPv4 address like 192.168.2.50',
        file: 'pi.yaml',
        line: 11,
        column: 15,
        path: ['nodes', 0, 'staticIp'],
        node: 'kmaster',
        severity: 'error',
      },
    ]);
  });

  it('reports syntax, schema and rule problems of one text together', () => {
    const text = `cluster:
  name: pi
  nmae: x
ssh:
  password: { env: UNSET }
nodes:
  - name: kmaster
    address: 192.168.2.100
k3s:
  version: lastest
network: { gateway: 192.168.2.1
`;
    const r = parseInventoryText(text, 'x.yaml', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '3:3 unknown key "nmae" in cluster',
      '5:20 password comes from environment variable UNSET, which is not set',
      '6:1 no node has role: server',
      '10:12 "lastest" is not a k3s release name',
      expect.stringMatching(/^12:1 YAML: /),
    ]);
    expect(r.problems[0]!.hint).toBe('did you mean "name"?');
    expect(r.problems[3]!.hint).toMatch(/channels: stable, latest, v1\.34/);
  });

  it('never puts a secret value into a problem', () => {
    const text = valid.replace('password: { env: PW }', 'password: hunter2-secret');
    const r = parseInventoryText(text, 'pi.yaml', env);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(JSON.stringify(r.problems)).not.toContain('hunter2-secret');
    expect(r.problems.map(formatProblem)[0]).toMatch(/^pi\.yaml:4:13: error: ssh\.password: a secret may not be written in the inventory/);
  });

  it('suggests the closest value of an enum', () => {
    const r = parseInventoryText(valid.replace('role: server', 'role: Server'), 'pi.yaml', env);
    if (r.ok) throw new Error('expected problems');
    expect(r.problems[0]).toMatchObject({ line: 9, column: 11, hint: 'did you mean "server"?' });
  });
});

describe('environment problems', () => {
  const text = `cluster: { name: pi }\nssh: { password: { env: UNSET } }\nnodes: [{ name: kmaster, role: server, address: 10.0.0.2 }]\n`;

  it('are errors by default (what init and plan load) and warnings when validate asks', () => {
    const run = parseInventoryText(text, 'x.yaml', {});
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.problems.map((p) => [p.severity, p.environment, p.line, p.column])).toEqual([['error', true, 2, 25]]);

    const checked = parseInventoryText(text, 'x.yaml', {}, { environment: 'warning' });
    expect(checked.ok).toBe(true);
    expect(checked.warnings.map((p) => [p.severity, p.message])).toEqual([['warning', 'password comes from environment variable UNSET, which is not set']]);
  });

  it('a mistake in the file stays an error when environment problems are warnings', () => {
    const r = parseInventoryText(text.replace('role: server', 'role: boss'), 'x.yaml', {}, { environment: 'warning' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.severity)).toEqual(['error']);
  });
});

describe('loadInventory', () => {
  it('reads a file and resolves paths against its directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-load-'));
    writeFileSync(join(dir, 'inv.yaml'), valid.replace('password: { env: PW }', 'password: { env: PW }\n  privateKey: keys/id'));
    writeFileSync(join(dir, 'id'), 'x');
    const missing = await loadInventory(join(dir, 'inv.yaml'), { env });
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.problems.map(formatProblem)).toEqual([`${join(dir, 'inv.yaml')}:5:15: error: private key keys/id (${join(dir, 'keys/id')}) does not exist (hint: create one with ssh-keygen -t ed25519, or fix the path)`]);
  });

  it('turns an unreadable file into one problem, not a throw', async () => {
    const r = await loadInventory('/nonexistent/kbootstrap/inventory.yaml');
    expect(r).toEqual({
      ok: false,
      problems: [{ message: 'cannot read the inventory: ENOENT', hint: 'create one with `kbootstrap init`, or copy one from inventories/', file: '/nonexistent/kbootstrap/inventory.yaml', path: [], severity: 'error' }],
      warnings: [],
    });
  });
});

describe('formatProblem', () => {
  it('renders file:line:col: severity: node: message (hint)', () => {
    expect(formatProblem({ message: 'm', hint: 'h', file: 'inventory.yaml', line: 12, column: 5, path: [], node: 'knode1', severity: 'error' })).toBe(
      'inventory.yaml:12:5: error: node knode1: m (hint: h)',
    );
    expect(formatProblem({ message: 'm', file: 'f.yaml', path: [], severity: 'warning' })).toBe('f.yaml: warning: m');
  });
});
