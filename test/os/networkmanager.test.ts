import { describe, expect, it } from 'vitest';
import { networkManagerConfigurer, nmKeyfilePath, setConnectionKey } from '../../src/os/networkmanager.js';
import { staticTarget } from '../../src/os/network-types.js';
import { applyFileChanges, file, firstNode, makeFacts, makeLabInventory, withFiles } from '../support/facts-factory.js';

const inv = makeLabInventory();
const node = firstNode(inv);
const target = staticTarget(node)!;
const PATH = '/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection';

const EXPECTED_KEYFILE = `# Written by kbootstrap: static IPv4 address of eth0. kbootstrap rewrites this file on every run.
[connection]
id=kbootstrap-eth0
uuid=68ef57a5-42e8-5c58-b22f-699def25aa5d
type=ethernet
interface-name=eth0
autoconnect=true
autoconnect-priority=100

[ipv4]
method=manual
address1=10.77.0.11/24,10.77.0.1
dns=10.77.0.1;1.1.1.1;

[ipv6]
method=auto
`;

const WIRED_CONNECTION_1 = `[connection]
id=Wired connection 1
uuid=5f2e1c3a-0000-4000-8000-000000000001
type=ethernet
autoconnect-priority=-999
interface-name=eth0

[ethernet]

[ipv4]
method=auto
`;

describe('NetworkManager keyfile (Pi OS Trixie/Bookworm)', () => {
  it('writes the keyfile, mode 0600, with the static address, gateway and DNS', () => {
    const changes = networkManagerConfigurer.plan(node, target, makeFacts('trixie'));
    expect(changes).toEqual([
      { kind: 'file', description: `set static IP 10.77.0.11/24 on eth0 in ${PATH}`, path: PATH, content: EXPECTED_KEYFILE, before: null, mode: 0o600 },
    ]);
    expect(nmKeyfilePath('eth0')).toBe(PATH);
  });

  it('derives a stable uuid from node name and interface', () => {
    const other = { ...node, name: 'kworker1' };
    const a = networkManagerConfigurer.plan(node, target, makeFacts('bookworm'))[0];
    const b = networkManagerConfigurer.plan(node, target, makeFacts('bookworm'))[0];
    const c = networkManagerConfigurer.plan(other, target, makeFacts('bookworm'))[0];
    expect(a).toEqual(b);
    const uuidOf = (x: typeof a) => (x?.kind === 'file' ? /uuid=(.*)/.exec(x.content)?.[1] : undefined);
    expect(uuidOf(c)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidOf(c)).not.toBe(uuidOf(a));
  });

  it('omits the gateway and dns when there are none', () => {
    const bare = { ...target, gateway: undefined, dns: [] };
    const [change] = networkManagerConfigurer.plan(node, bare, makeFacts('trixie'));
    expect(change?.kind === 'file' && change.content).toContain('method=manual\naddress1=10.77.0.11/24\n\n[ipv6]');
  });

  it('changes nothing when the keyfile is already right', () => {
    expect(networkManagerConfigurer.plan(node, target, withFiles(makeFacts('trixie'), file(PATH, EXPECTED_KEYFILE, '600')))).toEqual([]);
  });

  it('rewrites a right keyfile whose mode lets others read it (NetworkManager ignores it)', () => {
    const changes = networkManagerConfigurer.plan(node, target, withFiles(makeFacts('trixie'), file(PATH, EXPECTED_KEYFILE, '644')));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ path: PATH, mode: 0o600, before: EXPECTED_KEYFILE });
  });

  it('stops another ethernet profile for eth0 from auto-connecting, keeping its other lines', () => {
    const wired = '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection';
    const changes = networkManagerConfigurer.plan(node, target, withFiles(makeFacts('bookworm'), file(wired, WIRED_CONNECTION_1, '600')));
    expect(changes[1]).toEqual({
      kind: 'file',
      description: 'stop NetworkManager profile "Wired connection 1" from auto-connecting on eth0 (kbootstrap-eth0 replaces it)',
      path: wired,
      content: WIRED_CONNECTION_1.replace('[connection]\n', '[connection]\nautoconnect=false\n'),
      before: WIRED_CONNECTION_1,
      mode: 0o600,
    });
  });

  it('leaves wifi profiles, profiles of other interfaces or MACs, and disabled ones alone', () => {
    const dir = '/etc/NetworkManager/system-connections';
    const facts = withFiles(
      makeFacts('bookworm'),
      file(`${dir}/preconfigured.nmconnection`, '[connection]\nid=preconfigured\ntype=wifi\n\n[wifi]\nssid=home\n', '600'),
      file(`${dir}/eth1.nmconnection`, '[connection]\nid=eth1\ntype=ethernet\ninterface-name=eth1\n', '600'),
      file(`${dir}/bymac.nmconnection`, '[connection]\nid=bymac\ntype=ethernet\n\n[ethernet]\nmac-address=00:11:22:33:44:55\n', '600'),
      file(`${dir}/off.nmconnection`, '[connection]\nid=off\ntype=ethernet\nautoconnect=false\n', '600'),
    );
    expect(networkManagerConfigurer.plan(node, target, facts).map((c) => c.kind === 'file' && c.path)).toEqual([PATH]);
  });

  it('claims a profile bound to the interface MAC and replaces an existing autoconnect=true', () => {
    const p = '/etc/NetworkManager/system-connections/bymac.nmconnection';
    const text = '[connection]\nid=bymac\ntype=802-3-ethernet\nautoconnect=true\n\n[802-3-ethernet]\nmac-address=DC:A6:32:01:02:03\n';
    const changes = networkManagerConfigurer.plan(node, target, withFiles(makeFacts('bookworm'), file(p, text, '600')));
    expect(changes[1]).toMatchObject({ path: p, content: text.replace('autoconnect=true', 'autoconnect=false') });
  });

  it('is idempotent: the planned files fed back as facts give no change', () => {
    const wired = '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection';
    const facts = withFiles(makeFacts('bookworm'), file(wired, WIRED_CONNECTION_1, '600'));
    const first = networkManagerConfigurer.plan(node, target, facts);
    expect(first).toHaveLength(2);
    expect(networkManagerConfigurer.plan(node, target, applyFileChanges(facts, first))).toEqual([]);
  });

  it('setConnectionKey adds a [connection] section when a file has none', () => {
    expect(setConnectionKey('[ipv4]\nmethod=auto\n', 'autoconnect', 'false')).toBe('[connection]\nautoconnect=false\n[ipv4]\nmethod=auto\n');
  });
});
