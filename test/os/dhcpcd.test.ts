import { describe, expect, it } from 'vitest';
import { dhcpcdConfigurer } from '../../src/os/dhcpcd.js';
import { staticTarget } from '../../src/os/network-types.js';
import { applyFileChanges, BULLSEYE_DHCPCD, file, firstNode, makeFacts, makeLabInventory, withFiles } from '../support/facts-factory.js';

const node = firstNode(makeLabInventory());
const target = staticTarget(node)!;

const BLOCK = `# BEGIN kbootstrap
# Static IPv4 address of eth0, written by kbootstrap (it rewrites this block on every run).
interface eth0
static ip_address=10.77.0.11/24
static routers=10.77.0.1
static domain_name_servers=10.77.0.1 1.1.1.1
# END kbootstrap
`;

const plan = (content: string | null) => dhcpcdConfigurer.plan(node, target, withFiles(makeFacts('bullseye'), file('/etc/dhcpcd.conf', content)));

describe('dhcpcd.conf (Pi OS Bullseye/Buster)', () => {
  it('appends the managed block, keeping every other line byte for byte', () => {
    expect(plan(BULLSEYE_DHCPCD)).toEqual([
      {
        kind: 'file',
        description: 'set static IP 10.77.0.11/24 on eth0 in /etc/dhcpcd.conf',
        path: '/etc/dhcpcd.conf',
        content: `${BULLSEYE_DHCPCD}\n${BLOCK}`,
        before: BULLSEYE_DHCPCD,
        mode: 0o644,
      },
    ]);
  });

  it('replaces an existing kbootstrap block in place', () => {
    const old = BLOCK.replace('10.77.0.11/24', '10.77.0.99/24');
    const before = `hostname\n\n${old}\n# user line after\nnoipv6\n`;
    const [change] = plan(before);
    expect(change).toMatchObject({ content: `hostname\n\n${BLOCK}\n# user line after\nnoipv6\n`, before });
  });

  it('changes nothing when the block is already right', () => {
    expect(plan(`${BULLSEYE_DHCPCD}\n${BLOCK}`)).toEqual([]);
  });

  it('comments out a user static block for the same interface, and says so', () => {
    const before = 'hostname\ninterface eth0\nstatic ip_address=192.168.1.5/24\n\n  static routers=192.168.1.1\ninterface wlan0\nstatic ip_address=192.168.1.6/24\n';
    const [change] = plan(before);
    expect(change).toMatchObject({
      description: 'set static IP 10.77.0.11/24 on eth0 in /etc/dhcpcd.conf (comment out the existing static "interface eth0" block: it would conflict)',
      content:
        'hostname\n# kbootstrap: interface eth0\n# kbootstrap: static ip_address=192.168.1.5/24\n\n# kbootstrap:   static routers=192.168.1.1\ninterface wlan0\nstatic ip_address=192.168.1.6/24\n\n' +
        BLOCK,
    });
  });

  it('keeps a non-static interface block (metric only) as it is', () => {
    const before = 'interface eth0\nmetric 100\n';
    expect(plan(before)[0]).toMatchObject({ content: `${before}\n${BLOCK}` });
  });

  it('creates the file when it is missing, and handles a file without a final newline', () => {
    expect(plan(null)[0]).toMatchObject({ content: BLOCK, before: null });
    expect(plan('hostname')[0]).toMatchObject({ content: `hostname\n\n${BLOCK}` });
  });

  it('is idempotent, conflicting block included', () => {
    const facts = withFiles(makeFacts('bullseye'), file('/etc/dhcpcd.conf', 'interface eth0\nstatic ip_address=192.168.1.5/24\n'));
    const first = dhcpcdConfigurer.plan(node, target, facts);
    expect(dhcpcdConfigurer.plan(node, target, applyFileChanges(facts, first))).toEqual([]);
  });

  it('refuses a begin marker without its end marker', () => {
    expect(() => plan('# BEGIN kbootstrap\ninterface eth0\n')).toThrow(/without its "# END kbootstrap" line/);
  });
});
