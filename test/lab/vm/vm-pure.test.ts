import { describe, expect, it } from 'vitest';
import { cmdlineFromFile, stockCmdline } from './boot-volume.js';
import { endOfRun, qemuArgs, vmMac } from './qemu.js';
import { niceArgs } from './runner.js';

// The vm lane's pure parts: no root, no QEMU.
describe('vm nodes, pure parts', () => {
  it('cmdline.txt: the first line only, as the firmware reads it', () => {
    expect(cmdlineFromFile('console=ttyS0 root=/dev/nvme0n1 cgroup_enable=memory\r\nignored second line\n')).toBe('console=ttyS0 root=/dev/nvme0n1 cgroup_enable=memory');
    expect(cmdlineFromFile('')).toBe('');
  });

  it('the stock command line: console per architecture, NVMe root, eth0 naming, extras last', () => {
    const amd = stockCmdline('amd64', ['cgroup_disable=memory'], {});
    expect(amd).toMatch(/^console=ttyS0,115200 root=\/dev\/nvme0n1 .* net\.ifnames=0 .*quiet cgroup_disable=memory$/);
    expect(stockCmdline('arm64', [], {})).toMatch(/^console=ttyAMA0,115200 /);
    expect(stockCmdline('arm64', [], { KBOOTSTRAP_VM_VERBOSE: '1' })).not.toContain('quiet');
  });

  it('a reboot and a poweroff are told apart by the last kernel line on the console', () => {
    expect(endOfRun('[  1.0] reboot: Power down\n...\n[ 99.1] reboot: Restarting system\n')).toBe('reboot');
    expect(endOfRun('[ 99.1] reboot: Restarting system\n[120.0] reboot: Power down\n')).toBe('poweroff');
    expect(endOfRun('Kernel panic - not syncing')).toBe('unknown');
  });

  it('QEMU: software emulation, -no-reboot, root disk before the boot volume, the tap and MAC given', () => {
    const { command, args } = qemuArgs({
      arch: 'arm64', kernel: '/k', cmdline: 'root=/dev/nvme0n1', rootOverlay: '/r.qcow2', bootVolume: '/b.img',
      tap: 'kbv8n0', mac: vmMac(8, 0), memoryMb: 1024, consoleLog: '/c.log',
    });
    expect(command).toBe('qemu-system-aarch64');
    expect(args.slice(0, 4)).toEqual(['-M', 'virt', '-cpu', 'max']);
    expect(args).toEqual(expect.arrayContaining(['-no-reboot', '-accel', 'tcg,tb-size=256', '-append', 'root=/dev/nvme0n1']));
    const drives = args.filter((a, i) => args[i - 1] === '-drive');
    expect(drives.map((d) => d.split(',')[0])).toEqual(['file=/r.qcow2', 'file=/b.img']);
    // One NVMe controller only (the root disk), so the kernel cannot name the boot volume nvme0n1.
    expect(args.filter((a, i) => args[i - 1] === '-device' && a.startsWith('nvme,'))).toEqual(['nvme,drive=root,serial=kbroot']);
    expect(args).toContain('virtio-net-pci,netdev=net0,mac=52:54:00:77:08:40');
    expect(args).toContain('tap,id=net0,ifname=kbv8n0,script=no,downscript=no');
    expect(qemuArgs({ ...{ arch: 'amd64', kernel: '', cmdline: '', rootOverlay: '', bootVolume: '', tap: '', mac: '', memoryMb: 1, consoleLog: '' } }).command).toBe('qemu-system-x86_64');
  });

  it('MACs are unique per lab index and position, locally administered', () => {
    expect(vmMac(8, 0)).toBe('52:54:00:77:08:40');
    expect(new Set([vmMac(8, 0), vmMac(8, 1), vmMac(9, 0)]).size).toBe(3);
  });

  it('QEMU runs at niceness 10 whatever this process already has (nice adds to what it inherits)', () => {
    expect(niceArgs(0)).toEqual(['nice', '-n', '10']);
    expect(niceArgs(4)).toEqual(['nice', '-n', '6']);
    expect(niceArgs(10)).toEqual([]);
    expect(niceArgs(19)).toEqual([]);
  });
});
