import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshBanner, startLab, type Lab } from './lab.js';
import { isRoot, SKIP_REASON } from './network-suite.js';
import { run } from './sh.js';
import { sshRun, sshSudo } from './ssh-client.js';
import { labLeftovers } from './teardown.js';

const index = Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);
const CLONED_ID = '0123456789abcdef0123456789abcdef';

async function hostKey(ip: string): Promise<string> {
  const r = await run('ssh-keyscan', ['-T', '5', '-t', 'ed25519', ip]);
  return r.stdout.trim().split(/\s+/).pop() ?? '';
}

describe.skipIf(!isRoot)(`lab fault controls (amd64 nodes)${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let lab: Lab;
  let ip: string;

  beforeAll(async () => {
    lab = await startLab({
      index,
      nodes: [
        { name: 'kmaster', arch: 'amd64', machineId: CLONED_ID },
        { name: 'kclone', arch: 'amd64', machineId: CLONED_ID },
      ],
    });
    await lab.waitForSsh('kmaster');
    ip = await lab.ip('kmaster');
  }, 1_500_000);

  afterAll(async () => {
    await lab?.down();
  });

  it('can give two nodes the same machine-id, like cloned SD cards', async () => {
    await lab.waitForSsh('kclone');
    expect((await lab.readFile('kmaster', '/etc/machine-id'))?.trim()).toBe(CLONED_ID);
    expect((await lab.readFile('kclone', '/etc/machine-id'))?.trim()).toBe(CLONED_ID);
  });

  it('stop pulls the power and start boots the node again (not counted as a reboot)', async () => {
    await lab.faults.stop('kmaster');
    expect(lab.power('kmaster')).toBe('off');
    expect(await sshBanner(ip, 1500)).toBe(false);
    await lab.faults.start('kmaster');
    await lab.waitForSsh('kmaster');
    ip = await lab.ip('kmaster');
    expect(lab.rebootCount('kmaster')).toBe(0);
  });

  it('cutLink makes the node unreachable until restoreLink', async () => {
    await lab.faults.cutLink('kmaster');
    expect(await sshBanner(ip, 1500)).toBe(false);
    await lab.faults.restoreLink('kmaster');
    await lab.waitForSsh('kmaster', undefined, 60_000);
  });

  it('killSshd drops open SSH sessions; systemd brings the listener back', async () => {
    const session = sshRun(lab, ip, 'sleep 40; echo finished', { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 3000));
    await lab.faults.killSshd('kmaster');
    const r = await session;
    expect(r.stdout).not.toContain('finished');
    expect(r.code).not.toBe(0);
    await lab.waitForSsh('kmaster', ip, 60_000);
  });

  it('hang makes sudo block until unhang, while plain commands still answer', async () => {
    await lab.faults.hang('kmaster');
    const hung = await sshSudo(lab, ip, 'true', 6000);
    expect(hung.code).not.toBe(0); // killed by the timeout, not finished
    expect((await sshRun(lab, ip, 'echo alive')).stdout).toContain('alive');
    await lab.faults.unhang('kmaster');
    const ok = await sshSudo(lab, ip, 'id -u', 20_000);
    expect(ok.stdout.trim()).toBe('0');
  });

  it('changeHostKey gives the node new SSH host keys', async () => {
    const before = await hostKey(ip);
    await lab.faults.changeHostKey('kmaster');
    await lab.waitForSsh('kmaster', ip, 60_000);
    const after = await hostKey(ip);
    expect(before).toMatch(/^AAAA/);
    expect(after).toMatch(/^AAAA/);
    expect(after).not.toBe(before);
  });

  it('fillDisk fills the node\'s own disk (not the host\'s) until unfillDisk', async () => {
    await lab.faults.fillDisk('kmaster');
    const full = await sshRun(lab, ip, 'df --output=avail -B1 / | tail -1; echo data > /home/pi/kbootstrap-probe 2>&1 || echo write-failed');
    expect(full.stdout).toContain('write-failed');
    await lab.faults.unfillDisk('kmaster');
    const ok = await sshRun(lab, ip, 'echo data > /home/pi/kbootstrap-probe && echo write-ok');
    expect(ok.stdout).toContain('write-ok');
  });

  it('down leaves nothing behind', async () => {
    await lab.down();
    expect(await labLeftovers(lab.id, lab.index)).toEqual([]);
  });
});
