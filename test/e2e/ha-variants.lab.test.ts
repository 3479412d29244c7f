import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type LabNodeSpec } from '../lab/lab.js';
import { kbootstrap, type CliRun } from './run-cli.js';
import { isRoot, LAB_SKIP_REASON, writeLabInventory } from './lab-env.js';
import { startStandinRelease } from './standin-release.js';

/**
 * Three servers, one per Pi OS generation, and an Ubuntu-like (netplan) agent. Native amd64 nodes, so
 * the real NetworkManager, dhcpcd and netplan apply the files kbootstrap writes (the arm64 nodes run
 * no network daemon under qemu-user; the lab's own arm64 tests cover that architecture).
 */
const NODES: LabNodeSpec[] = [
  { name: 'kmaster', variant: 'trixie', arch: 'amd64' },
  { name: 'kserver2', variant: 'bookworm', arch: 'amd64' },
  { name: 'kserver3', variant: 'bullseye', arch: 'amd64' },
  { name: 'knode1', variant: 'netplan', arch: 'amd64' },
];

/**
 * HA with the lab's k3s stand-in (not Kubernetes): the first server starts with cluster-init, the
 * other two join it one at a time; every network stack (NetworkManager, dhcpcd, netplan) and both
 * boot-partition layouts are prepared for real.
 */
describe.skipIf(!isRoot)(`HA on mixed Pi OS releases with the k3s stand-in (${isRoot ? 'root' : LAB_SKIP_REASON})`, () => {
  let lab: Lab;
  let release: Awaited<ReturnType<typeof startStandinRelease>>;
  let run: CliRun;

  beforeAll(async () => {
    [lab, release] = await Promise.all([startLab({ nodes: NODES }), startStandinRelease()]);
    const inv = await writeLabInventory(lab, { staticIps: true, ha: true, servers: 3 });
    run = await kbootstrap(['init', '-i', inv.file, '--yes', '--json'], { KBOOTSTRAP_K3S_RELEASE_URL: release.url, XDG_CACHE_HOME: `${inv.dir}/cache` });
    console.log(`HA init on 4 mixed-release lab nodes: ${run.ms} ms`);
  });
  afterAll(async () => {
    await lab?.down();
    await release?.close();
  });

  it('comes up with all four nodes Ready, the servers as control-plane and etcd members', async () => {
    expect(run.code, run.stdout.slice(-4000)).toBe(0);
    const nodes = JSON.parse((await lab.exec('kmaster', 'k3s kubectl get nodes -o json')).stdout) as {
      items: { metadata: { name: string; labels: Record<string, string> }; status: { nodeInfo: { architecture: string } } }[];
    };
    const byName = Object.fromEntries(nodes.items.map((n) => [n.metadata.name, n]));
    for (const s of ['kmaster', 'kserver2', 'kserver3']) {
      expect(byName[s]?.metadata.labels['node-role.kubernetes.io/etcd'], s).toBe('true');
    }
    expect(Object.keys(byName).sort()).toEqual(['kmaster', 'knode1', 'kserver2', 'kserver3']);
  });

  it('the first server runs cluster-init and the others join it', async () => {
    expect(await lab.readFile('kmaster', '/etc/rancher/k3s/config.yaml')).toMatch(/^cluster-init: true$/m);
    for (const s of ['kserver2', 'kserver3']) {
      const config = (await lab.readFile(s, '/etc/rancher/k3s/config.yaml'))!;
      expect(config).toContain(`server: https://${lab.subnet.base}10:6443`);
      expect(config).not.toMatch(/cluster-init/);
    }
    const k3sChanges = run.events.flatMap((e) => (e.kind === 'node-step' && e.phase === 'k3s-server' && e.status === 'done' ? [e.node] : []));
    expect(k3sChanges).toEqual(['kmaster', 'kserver2', 'kserver3']);
  });

  it('prepares each release through its own network stack and boot layout', async () => {
    expect(await lab.readFile('kmaster', '/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection')).toContain(`address1=${lab.subnet.base}10/24`);
    expect(await lab.readFile('kserver2', '/etc/NetworkManager/system-connections/kbootstrap-eth0.nmconnection')).toContain(`address1=${lab.subnet.base}11/24`);
    expect(await lab.readFile('kserver3', '/etc/dhcpcd.conf')).toContain(`static ip_address=${lab.subnet.base}12/24`);
    expect(await lab.readFile('kserver3', '/boot/cmdline.txt')).toMatch(/cgroup_enable=memory/);
    expect(await lab.readFile('knode1', '/etc/netplan/60-kbootstrap.yaml')).toContain(`${lab.subnet.base}13/24`);
    for (const [i, n] of NODES.entries()) expect(await lab.ip(n.name), n.name).toBe(`${lab.subnet.base}${10 + i}`);
  });
});
