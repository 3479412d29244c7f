import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeKubeconfig, mergeKubeconfigDetailed } from '../../src/kubeconfig/merge.js';
import { rewriteKubeconfig } from '../../src/kubeconfig/rewrite.js';
import { ENTRIES, K3S_YAML, twoClusterKubeconfig } from './fixtures.js';

const incoming = rewriteKubeconfig(K3S_YAML, { context: 'pilab', server: '10.77.0.11' });

describe('mergeKubeconfig', () => {
  it('adds the cluster, user and context and keeps every other entry byte for byte', () => {
    const existing = twoClusterKubeconfig();
    const merged = mergeKubeconfigDetailed(existing, incoming, { setCurrent: false });
    for (const [name, text] of Object.entries(ENTRIES)) expect(merged.content, name).toContain(text);
    expect(merged.added).toEqual(['clusters/pilab', 'users/pilab', 'contexts/pilab']);
    expect(merged.replaced).toEqual([]);
    const config = parse(merged.content);
    expect(config.clusters.map((c: { name: string }) => c.name)).toEqual(['home', 'work', 'pilab']);
    expect(config['current-context']).toBe('work');
  });

  it('only appends: the original text is a prefix of each section', () => {
    const merged = mergeKubeconfig(twoClusterKubeconfig(), incoming, { setCurrent: false });
    expect(merged).toContain(`clusters:\n${ENTRIES.homeCluster}${ENTRIES.workCluster}- cluster:`);
    expect(merged).toContain(`users:\n${ENTRIES.homeUser}${ENTRIES.workUser}- name: pilab`);
  });

  it('switches current-context with setCurrent', () => {
    expect(parse(mergeKubeconfig(twoClusterKubeconfig(), incoming, { setCurrent: true }))['current-context']).toBe('pilab');
  });

  it('sets current-context when the file had none', () => {
    const none = twoClusterKubeconfig().replace('current-context: work\n', 'current-context: ""\n');
    expect(parse(mergeKubeconfig(none, incoming, { setCurrent: false }))['current-context']).toBe('pilab');
  });

  it('replaces an entry of the same name in place and is idempotent', () => {
    const once = mergeKubeconfig(twoClusterKubeconfig(), incoming, { setCurrent: false });
    const movedServer = rewriteKubeconfig(K3S_YAML, { context: 'pilab', server: '10.77.0.99' });
    const twice = mergeKubeconfigDetailed(once, movedServer, { setCurrent: false });
    expect(twice.replaced).toEqual(['clusters/pilab', 'users/pilab', 'contexts/pilab']);
    expect(twice.content).toBe(once.replace('https://10.77.0.11:6443', 'https://10.77.0.99:6443'));
    expect(mergeKubeconfig(once, incoming, { setCurrent: false })).toBe(once);
  });

  it('replaces an entry that sits between others without moving them', () => {
    const withOld = mergeKubeconfig(twoClusterKubeconfig(), incoming, { setCurrent: false });
    const reordered = withOld.replace(`${ENTRIES.workContext}`, '').replace('contexts:\n', `contexts:\n`).replace(/(- context:\n    cluster: pilab\n    user: pilab\n  name: pilab\n)/, `$1${ENTRIES.workContext}`);
    expect(reordered.indexOf('name: pilab\n- context:\n    cluster: work')).toBeGreaterThan(0);
    const merged = mergeKubeconfig(reordered, incoming, { setCurrent: false });
    expect(merged).toBe(reordered);
  });

  it('writes the incoming config as it is when there is no file yet', () => {
    expect(mergeKubeconfig(undefined, incoming, { setCurrent: false })).toBe(incoming);
    expect(mergeKubeconfig('', incoming, { setCurrent: false })).toBe(incoming);
  });

  it('keeps a file in the indented-sequence style in that style', () => {
    const indented = `apiVersion: v1\nclusters:\n  - cluster:\n      server: https://a:6443\n    name: a\ncontexts:\n  - context:\n      cluster: a\n      user: a\n    name: a\ncurrent-context: a\nkind: Config\nusers:\n  - name: a\n    user:\n      token: t\n`;
    const merged = mergeKubeconfig(indented, incoming, { setCurrent: false });
    expect(merged).toContain('clusters:\n  - cluster:\n      server: https://a:6443\n    name: a\n  - cluster:\n');
  });

  it('creates missing sections in a file that has none', () => {
    const merged = parse(mergeKubeconfig('apiVersion: v1\nkind: Config\npreferences: {}\n', incoming, { setCurrent: false }));
    expect(merged.contexts).toHaveLength(1);
    expect(merged['current-context']).toBe('pilab');
  });
});
