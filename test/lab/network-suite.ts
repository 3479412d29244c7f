import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labStaticIp } from './inventory.js';
import { startLab, type Lab } from './lab.js';
import { DHCP_RANGE, type Arch, type Variant } from './paths.js';
import { sshRun, sshSudo } from './ssh-client.js';
import { staticIpCommand } from './static-ip-fixtures.js';
import { labLeftovers } from './teardown.js';

export const isRoot = process.getuid?.() === 0;
export const SKIP_REASON = 'lab tests need root (network namespaces, mounts, systemd-nspawn); run them as root, as CI does';

const EXPECTED_STACK: Record<Variant, string> = { trixie: 'NetworkManager', bookworm: 'NetworkManager', bullseye: 'dhcpcd', netplan: 'systemd-networkd',
  'trixie-cloudinit': 'NetworkManager',
};

/**
 * The network behaviour the lab promises, on one architecture: every variant boots on a DHCP lease,
 * answers SSH with the lab credentials, moves to a static IP written in its own stack's file after a
 * real reboot (on arm64 through the emulated-network shim), and `down` leaves nothing behind.
 */
export function labNetworkSuite(arch: Arch, variants: Variant[], index: number): void {
  describe.skipIf(!isRoot)(`lab nodes on ${arch} (${variants.join(', ')})${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
    let lab: Lab;
    const names = variants.map((v) => `n-${v}`);
    const dhcp = new Map<string, string>();

    beforeAll(async () => {
      if (!isRoot) return;
      lab = await startLab({ index, nodes: variants.map((variant, i) => ({ name: names[i]!, variant, arch })) });
      await Promise.all(names.map((n) => lab.waitForSsh(n)));
    }, 1_500_000);

    afterAll(async () => {
      await lab?.down();
    });

    it('boots every node on a DHCP lease from the lab router (.100-.199)', async () => {
      for (const n of names) {
        const ip = await lab.ip(n);
        dhcp.set(n, ip);
        const last = Number(ip.split('.')[3]);
        expect(ip.startsWith(lab.subnet.base)).toBe(true);
        expect(last).toBeGreaterThanOrEqual(DHCP_RANGE.first);
        expect(last).toBeLessThanOrEqual(DHCP_RANGE.last);
      }
    });

    it('answers SSH as pi with the password and with the key; sudo asks for the password', async () => {
      for (const [i, n] of names.entries()) {
        const ip = dhcp.get(n)!;
        const byPassword = await sshRun(lab, ip, 'uname -m; id -un; cat /etc/os-release | grep VERSION_CODENAME');
        expect(byPassword.code, byPassword.stderr).toBe(0);
        expect(byPassword.stdout).toContain(arch === 'arm64' ? 'aarch64' : 'x86_64');
        expect(byPassword.stdout).toContain('pi\n');
        expect(byPassword.stdout).toContain(`VERSION_CODENAME=${variants[i] === 'netplan' || variants[i] === 'trixie-cloudinit' ? 'trixie' : variants[i]}`);
        const byKey = await sshRun(lab, ip, 'true', { auth: 'key' });
        expect(byKey.code, byKey.stderr).toBe(0);
        expect((await sshRun(lab, ip, 'sudo -n true')).code).not.toBe(0);
        const sudo = await sshSudo(lab, ip, 'id -u');
        expect(sudo.stdout.trim()).toBe('0');
      }
    });

    it('looks like its OS where the tool looks: boot files, board model, network stack', async () => {
      for (const [i, n] of names.entries()) {
        const v = variants[i]!;
        if (v === 'netplan') {
          expect(await lab.readFile(n, '/etc/netplan/50-cloud-init.yaml')).toContain('dhcp4: true');
          expect(await lab.readFile(n, '/etc/kbootstrap-lab/board-model')).toBeUndefined();
        } else {
          const boot = v === 'bullseye' ? '/boot' : '/boot/firmware';
          expect((await lab.readFile(n, `${boot}/cmdline.txt`))?.trimEnd().split('\n')).toHaveLength(1);
          expect(await lab.readFile(n, `${boot}/config.txt`)).toContain('dtparam=audio=on');
          expect(await lab.readFile(n, '/etc/kbootstrap-lab/board-model')).toBe('Raspberry Pi 4 Model B Rev 1.5\n');
        }
        const stack = await lab.exec(n, `systemctl is-active ${EXPECTED_STACK[v]}`);
        expect(stack.stdout.trim()).toBe(arch === 'amd64' ? 'active' : 'inactive');
        const ids = await Promise.all(names.map((m) => lab.readFile(m, '/etc/machine-id')));
        expect(new Set(ids).size).toBe(names.length);
      }
    });

    it('reaches the other nodes on the lab bridge (TCP 6443), and nothing outside it', async () => {
      const [server, client] = names;
      if (!client) return;
      const serverIp = dhcp.get(server!)!;
      const listen = lab.exec(server!, `timeout 60 python3 -c "import socket; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 6443)); s.listen(1); c,_=s.accept(); c.sendall(b'lab-ok'); c.close()"`);
      const got = await lab.exec(client, `for i in $(seq 1 40); do python3 -c "import socket; c=socket.create_connection(('${serverIp}', 6443), 2); print(c.recv(16).decode())" 2>/dev/null && break; sleep 0.5; done`);
      expect(got.stdout).toContain('lab-ok');
      expect((await listen).code).toBe(0);
      const route = await lab.exec(client, 'ip -4 route show default');
      expect(route.stdout).toContain(lab.subnet.gateway);
      // The router (.1) never forwards what arrives from the lab, so a node reaches no other address.
      expect(readFileSync(`/proc/sys/net/ipv4/conf/kblab${lab.index}/forwarding`, 'utf8').trim()).toBe('0');
    });

    it('moves each node to the static IP written in its stack\'s own file after a real reboot', async () => {
      await Promise.all(names.map(async (n, i) => {
        const ip = dhcp.get(n)!;
        const target = labStaticIp(lab.subnet, i);
        const before = lab.rebootCount(n);
        const wrote = await sshSudo(lab, ip, staticIpCommand(variants[i]!, target, lab.subnet.prefix, lab.subnet.gateway));
        expect(wrote.code, wrote.stderr).toBe(0);
        await sshSudo(lab, ip, 'systemctl reboot', 30_000);
        await lab.waitForSsh(n, target, 300_000);
        expect(lab.rebootCount(n)).toBe(before + 1);
        expect(await lab.ip(n)).toBe(target);
        const back = await sshRun(lab, target, 'ip -4 -o addr show dev eth0');
        expect(back.stdout).toContain(`${target}/24`);
        expect(back.stdout).not.toContain(ip + '/');
      }));
    });

    it('down stops everything and leaves no namespace, link, mount, process or directory behind', async () => {
      const started = Date.now();
      await lab.down();
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(await labLeftovers(lab.id, lab.index)).toEqual([]);
    });
  });
}
