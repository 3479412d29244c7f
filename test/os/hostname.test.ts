import { describe, expect, it } from 'vitest';
import { planHostname, planHosts } from '../../src/os/hostname.js';
import { DEBIAN_HOSTS, applyFileChanges, file, firstNode, makeFacts, makeLabInventory, withFiles } from '../support/facts-factory.js';

const inv = makeLabInventory();
const node = firstNode(inv);
const CLUSTER = '# BEGIN kbootstrap cluster\n10.77.0.11\tkmaster\n10.77.0.12\tkworker1\n# END kbootstrap cluster\n';

describe('hostname', () => {
  it('writes /etc/hostname and renames the running system with `hostname` (no dbus needed)', () => {
    expect(planHostname(node, makeFacts('trixie'))).toEqual([
      { kind: 'file', description: 'set hostname kmaster in /etc/hostname', path: '/etc/hostname', content: 'kmaster\n', before: 'raspberrypi\n', mode: 0o644 },
      { kind: 'command', description: 'rename the running system from raspberrypi to kmaster', command: 'hostname kmaster' },
    ]);
  });

  it('changes nothing when both are right', () => {
    expect(planHostname(node, withFiles(makeFacts('trixie', { hostname: 'kmaster' }), file('/etc/hostname', 'kmaster\n')))).toEqual([]);
  });
});

describe('/etc/hosts', () => {
  it('replaces the 127.0.1.1 line and appends the cluster block, keeping the localhost lines', () => {
    expect(planHosts(node, makeFacts('trixie'), inv)).toEqual([
      {
        kind: 'file',
        description: 'name kmaster and list 2 cluster node(s) in /etc/hosts',
        path: '/etc/hosts',
        content: DEBIAN_HOSTS.replace('127.0.1.1\traspberrypi', '127.0.1.1\tkmaster') + '\n' + CLUSTER,
        before: DEBIAN_HOSTS,
        mode: 0o644,
      },
    ]);
  });

  it('lists a node without static IP at its SSH address when that is an IPv4, and adds the domain', () => {
    const noStatic = makeLabInventory({ staticIps: false, domain: 'home.arpa' });
    const [change] = planHosts(firstNode(noStatic), makeFacts('trixie'), noStatic);
    expect(change?.kind === 'file' && change.content).toBe(
      DEBIAN_HOSTS.replace('127.0.1.1\traspberrypi', '127.0.1.1\tkmaster.home.arpa kmaster') +
        '\n# BEGIN kbootstrap cluster\n10.77.0.150\tkmaster.home.arpa kmaster\n10.77.0.151\tkworker1.home.arpa kworker1\n# END kbootstrap cluster\n',
    );
  });

  it("with hostsFile 'self' writes no block, and removes one written before", () => {
    const self = makeLabInventory({ hostsFile: 'self' });
    const named = DEBIAN_HOSTS.replace('raspberrypi', 'kmaster');
    expect(planHosts(node, makeFacts('trixie'), self)[0]).toMatchObject({ content: named, description: 'name kmaster in /etc/hosts' });
    expect(planHosts(node, withFiles(makeFacts('trixie'), file('/etc/hosts', `${named}\n${CLUSTER}`)), self)[0]).toMatchObject({ content: named });
  });

  it('keeps user lines and comments, inserts 127.0.1.1 after 127.0.0.1 when missing, and drops extra 127.0.1.1 lines', () => {
    const before = '# my hosts\n127.0.0.1 localhost\n192.168.1.9 nas\n';
    expect(planHosts(node, withFiles(makeFacts('trixie'), file('/etc/hosts', before)), makeLabInventory({ hostsFile: 'self' }))[0]).toMatchObject({
      content: '# my hosts\n127.0.0.1 localhost\n127.0.1.1\tkmaster\n192.168.1.9 nas\n',
    });
    const twice = '127.0.0.1 localhost\n127.0.1.1 old\n127.0.1.1 older\n';
    expect(planHosts(node, withFiles(makeFacts('trixie'), file('/etc/hosts', twice)), makeLabInventory({ hostsFile: 'self' }))[0]).toMatchObject({
      content: '127.0.0.1 localhost\n127.0.1.1\tkmaster\n',
    });
  });

  it('creates a Debian-like file when there is none (minimal root filesystems)', () => {
    const [change] = planHosts(node, withFiles(makeFacts('trixie'), file('/etc/hosts', null)), makeLabInventory({ hostsFile: 'self' }));
    expect(change).toMatchObject({ before: null, content: '127.0.0.1\tlocalhost\n127.0.1.1\tkmaster\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n' });
  });

  it('is idempotent', () => {
    const facts = makeFacts('bookworm');
    const first = planHosts(node, facts, inv);
    expect(planHosts(node, applyFileChanges(facts, first), inv)).toEqual([]);
  });
});
