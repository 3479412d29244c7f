import { describe, expect, it } from 'vitest';
import { decideInit, missingFields } from '../../src/cli/init-decision.js';
import { UserError } from '../../src/errors.js';

const complete = { cluster: { name: 'pi' }, nodes: [{ name: 'kmaster', address: '192.168.2.100' }] };

describe('missingFields', () => {
  it('finds nothing missing in a complete document', () => {
    expect(missingFields(complete)).toEqual([]);
  });
  it('names the keys no default can fill', () => {
    expect(missingFields({})).toEqual(['cluster.name', 'nodes (at least one, each with name and address)']);
    expect(missingFields({ cluster: { name: '  ' }, nodes: [] })).toEqual(['cluster.name', 'nodes (at least one, each with name and address)']);
    expect(missingFields({ cluster: { name: 'pi' }, nodes: [{ name: 'a' }, { address: '10.0.0.2' }, 'junk'] })).toEqual([
      'nodes[0].address',
      'nodes[1].name',
      'nodes[2].name',
      'nodes[2].address',
    ]);
  });
  it('treats a document that is not a mapping as empty', () => {
    expect(missingFields('just a string')).toHaveLength(2);
    expect(missingFields(null)).toHaveLength(2);
  });
});

describe('decideInit', () => {
  it('proceeds with a complete inventory, interactive or not', () => {
    expect(decideInit({ file: 'kb.yaml', exists: true, document: complete, interactive: false })).toEqual({ kind: 'proceed' });
    expect(decideInit({ file: 'kb.yaml', exists: true, document: complete, interactive: true })).toEqual({ kind: 'proceed' });
  });

  it('leaves an unparsable file to the loader, which points at the syntax error', () => {
    expect(decideInit({ file: 'kb.yaml', exists: true, unparsable: true, interactive: false })).toEqual({ kind: 'proceed' });
  });

  it('asks in a terminal, starting from what the file has', () => {
    const document = { cluster: { name: 'pi' }, k3s: { version: 'v1.30.1+k3s1' } };
    const d = decideInit({ file: 'kb.yaml', exists: true, document, interactive: true });
    expect(d).toEqual({ kind: 'wizard', missing: ['nodes (at least one, each with name and address)'], partial: document });
    expect(decideInit({ file: 'kb.yaml', exists: false, interactive: true })).toEqual({ kind: 'wizard', missing: ['the inventory file itself'], partial: {} });
  });

  it('without a terminal (or with --yes/--json) fails naming what is missing and how to fix it', () => {
    const d = decideInit({ file: 'kb.yaml', exists: true, document: { nodes: [{ name: 'kmaster' }] }, interactive: false });
    expect(d.kind).toBe('fail');
    if (d.kind !== 'fail') return;
    expect(d.error).toBeInstanceOf(UserError);
    expect(d.error.message).toBe('kb.yaml is incomplete: missing cluster.name, nodes[0].address');
    expect(d.error.hint).toContain('kbootstrap init -i kb.yaml');
    expect(d.error.hint).toContain('inventories/');
    const missingFile = decideInit({ file: 'kb.yaml', exists: false, interactive: false });
    expect(missingFile.kind === 'fail' && missingFile.error.message).toBe('no inventory: kb.yaml does not exist');
  });
});
