import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../src/facts/types.js';
import { commentOutSwapEntries, planSwapOff } from '../../src/os/swap.js';
import { applyFileChanges, file, makeFacts, withFiles } from '../support/facts-factory.js';

const DROPIN = '/etc/rpi/swap.conf.d/99-kbootstrap-swap-off.conf';
const RPI_SWAP_OFF = '# Written by kbootstrap: k3s wants no swap. See swap.conf(5); "none" also removes the swap file.\n[Main]\nMechanism=none\n';
const ZRAM_OFF = '# Written by kbootstrap: k3s wants no swap, so no zram devices. The original file is backed up under\n# /var/lib/kbootstrap/backup/. See zram-generator.conf(5).\n';
const DPHYS = { kind: 'command', description: 'turn off and disable dphys-swapfile (removes its swap file)', command: 'dphys-swapfile swapoff; dphys-swapfile uninstall; systemctl disable --now dphys-swapfile' };

function swapState(facts: NodeFacts, swap: Partial<NodeFacts['swap']>): NodeFacts {
  return { ...facts, swap: { ...facts.swap, ...swap } };
}

describe('swap off, per release', () => {
  it('Bookworm/Bullseye: dphys-swapfile off, uninstalled, disabled; then swapoff -a', () => {
    for (const release of ['bookworm', 'bullseye'] as const) {
      expect(planSwapOff(makeFacts(release))).toEqual([DPHYS, { kind: 'command', description: 'turn off active swap (/var/swap)', command: 'swapoff -a' }]);
    }
  });

  it('Trixie: rpi-swap Mechanism=none in a drop-in that sorts last; then swapoff -a for the zram device', () => {
    expect(planSwapOff(makeFacts('trixie'))).toEqual([
      { kind: 'file', description: `set rpi-swap's Mechanism=none in ${DROPIN}`, path: DROPIN, content: RPI_SWAP_OFF, before: null, mode: 0o644 },
      { kind: 'command', description: 'turn off active swap (/dev/zram0)', command: 'swapoff -a' },
    ]);
  });

  it('systemd zram-generator: an /etc config with devices becomes one without', () => {
    const facts = withFiles(makeFacts('ubuntu'), file('/etc/systemd/zram-generator.conf', '[zram0]\nzram-size = ram / 2\n'));
    expect(planSwapOff(swapState(facts, { active: [{ device: '/dev/zram0', type: 'partition', sizeKb: 1000 }] }))).toEqual([
      { kind: 'file', description: 'configure no zram swap devices in /etc/systemd/zram-generator.conf', path: '/etc/systemd/zram-generator.conf', content: ZRAM_OFF, before: '[zram0]\nzram-size = ram / 2\n', mode: 0o644 },
      { kind: 'command', description: 'turn off active swap (/dev/zram0)', command: 'swapoff -a' },
    ]);
  });

  it('a vendor zram-generator config (no /etc file, no rpi-swap) is shadowed by an /etc file', () => {
    const facts = swapState(makeFacts('ubuntu'), { zram: { configured: true } });
    expect(planSwapOff(facts)).toEqual([
      { kind: 'file', description: 'configure no zram swap devices in /etc/systemd/zram-generator.conf', path: '/etc/systemd/zram-generator.conf', content: ZRAM_OFF, before: null, mode: 0o644 },
    ]);
  });

  it('fstab swap entries are commented out with "# kbootstrap: ", other lines kept', () => {
    const fstab = 'UUID=1 / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n# /old none swap sw 0 0\n';
    expect(commentOutSwapEntries(fstab)).toEqual({ text: 'UUID=1 / ext4 defaults 0 1\n# kbootstrap: /swapfile none swap sw 0 0\n# /old none swap sw 0 0\n', count: 1 });
    const facts = swapState(withFiles(makeFacts('ubuntu'), file('/etc/fstab', fstab)), { active: [{ device: '/swapfile', type: 'file', sizeKb: 4000 }] });
    expect(planSwapOff(facts).map((c) => c.description)).toEqual(['comment out 1 swap entry in /etc/fstab', 'turn off active swap (/swapfile)']);
  });

  it('nothing when no swap is active or configured', () => {
    expect(planSwapOff(makeFacts('ubuntu'))).toEqual([]);
    expect(planSwapOff(swapState(makeFacts('bookworm'), { active: [], dphysSwapfile: { installed: true, enabled: false } }))).toEqual([]);
  });

  it('is idempotent once the commands have run (swap state as the next facts would show it)', () => {
    for (const release of ['trixie', 'bookworm', 'bullseye'] as const) {
      const facts = withFiles(makeFacts(release), file('/etc/fstab', '/var/swap none swap sw 0 0\n'));
      const first = planSwapOff(facts);
      const after = swapState(applyFileChanges(facts, first), { active: [], dphysSwapfile: { installed: facts.swap.dphysSwapfile.installed, enabled: false } });
      expect(planSwapOff(after), release).toEqual([]);
    }
  });
});
