// `npm run lab -- up|down|status|ssh NODE`: the lab for a person (the tests use lab.ts directly).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { attachLab, downLab, readLabState, requireRoot, startLab, type LabNodeSpec } from './lab.js';
import { ARCHES, defaultLabId, labNames, VARIANTS, type Arch, type Variant } from './paths.js';
import { downVmLab, readVmLabState, upVmLab } from './vm/vm-supervisor.js';

const envIndex = () => Number(process.env.KBOOTSTRAP_LAB_INDEX ?? 0);
const program = new Command('lab').description('An emulated Raspberry Pi fleet for kbootstrap (needs root)');
const indexOption = () => new Option('--index <n>', 'lab index N: subnet 10.77.N.0/24 (env KBOOTSTRAP_LAB_INDEX)').argParser(Number);

/** Lab nodes are named like a Pi cluster: kmaster, knode1, knode2, ... */
export function labNodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? 'kmaster' : `knode${i}`));
}

program
  .command('up')
  .description('start nodes, print a kbootstrap inventory for them and leave them running')
  .option('--nodes <count>', 'how many nodes', (v) => Number(v), 4)
  .option('--variant <list>', `node OS: ${VARIANTS.join('|')}; a comma list is used in turn`, 'trixie')
  .addOption(new Option('--arch <arch>', 'arm64 (emulated, like a Pi) or amd64 (native, fast)').choices(ARCHES).default('arm64'))
  .addOption(indexOption())
  .option('--servers <n>', 'how many k3s servers in the inventory', (v) => Number(v), 1)
  .option('--out <file>', 'also write the inventory here')
  .addOption(new Option('--kind <kind>', 'nspawn: containers on the host kernel; vm: a real kernel under QEMU (slow: minutes per boot)').choices(['nspawn', 'vm']).default('nspawn'))
  .action(async (o: { nodes: number; variant: string; arch: Arch; index?: number; servers: number; out?: string; kind: 'nspawn' | 'vm' }) => {
    requireRoot();
    const variants = o.variant.split(',') as Variant[];
    for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);
    if (o.kind === 'vm') {
      if (variants.some((v) => v !== 'trixie')) throw new Error('vm nodes run the trixie variant only (test/lab/vm/README.md)');
      const started = Date.now();
      const index = o.index ?? envIndex();
      const state = await upVmLab(index, labNodeNames(o.nodes).map((name) => ({ name, arch: o.arch })), (m) => console.error(m));
      if (o.out) writeFileSync(o.out, state.inventory!);
      console.error(`vm lab ${index}: ${state.nodes.length} nodes answering SSH after ${Math.round((Date.now() - started) / 1000)} s`);
      console.log(state.inventory);
      return;
    }
    const specs: LabNodeSpec[] = labNodeNames(o.nodes).map((name, i) => ({ name, arch: o.arch, variant: variants[i % variants.length] }));
    const started = Date.now();
    const lab = await startLab({ nodes: specs, index: o.index ?? envIndex(), log: (m) => console.error(m) });
    await Promise.all(lab.nodes.map((n) => lab.waitForSsh(n.name)));
    const yaml = await lab.inventory({ servers: o.servers });
    const names = labNames(lab.id, lab.index);
    writeFileSync(names.inventory, yaml);
    if (o.out) writeFileSync(o.out, yaml);
    console.error(`lab ${lab.id}: ${lab.nodes.length} nodes answering SSH after ${Math.round((Date.now() - started) / 1000)} s; inventory: ${names.inventory}`);
    console.log(yaml);
  });

program
  .command('down')
  .description('stop every node and remove everything the lab made')
  .addOption(indexOption())
  .action(async (o: { index?: number }) => {
    requireRoot();
    const index = o.index ?? envIndex();
    const started = Date.now();
    if (await downVmLab(index)) console.error(`vm lab ${index} down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await downLab(defaultLabId(index), index);
    console.error(`lab ${defaultLabId(index)} down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

program
  .command('status')
  .description('the nodes, their power state, addresses and reboots')
  .addOption(indexOption())
  .action(async (o: { index?: number }) => {
    const id = defaultLabId(o.index ?? envIndex());
    const vm = readVmLabState(o.index ?? envIndex());
    if (vm) {
      console.log(`vm lab ${vm.index} (${vm.status}${vm.error ? `: ${vm.error}` : ''})`);
      for (const n of vm.nodes) console.log(`${n.name.padEnd(10)} vm/${n.arch}  ${n.power.padEnd(9)} ip ${(n.address ?? '-').padEnd(12)} reboots ${n.reboots}`);
    }
    const state = readLabState(id);
    if (!state) {
      console.log(`lab ${id}: not running`);
      return;
    }
    const lab = await attachLab(id);
    console.log(`lab ${id} (${state.status}) on ${state.subnet.cidr}; password file ${state.credentials.passwordFile}`);
    for (const n of state.nodes) {
      const ip = n.power === 'running' ? await Promise.race([lab.ip(n.name), new Promise<string>((r) => setTimeout(() => r('-'), 1000))]) : '-';
      console.log(`${n.name.padEnd(10)} ${n.variant}/${n.arch}  ${n.power.padEnd(9)} ip ${ip.padEnd(12)} reboots ${n.reboots}${n.shimError ? `  shim: ${n.shimError}` : ''}`);
    }
  });

program
  .command('ssh')
  .description('log in to a node as pi (with the lab key)')
  .argument('<node>')
  .argument('[command...]')
  .addOption(indexOption())
  .action(async (nodeName: string, command: string[], o: { index?: number }) => {
    const vm = readVmLabState(o.index ?? envIndex())?.nodes.find((n) => n.name === nodeName) ? readVmLabState(o.index ?? envIndex()) : undefined;
    const lab = vm ? undefined : await attachLab(defaultLabId(o.index ?? envIndex()));
    const ip = vm ? vm.nodes.find((n) => n.name === nodeName)!.address : await lab!.ip(nodeName);
    if (!ip) throw new Error(`vm node ${nodeName} does not answer SSH yet`);
    const r = spawnSync('ssh', [
      '-i', vm?.privateKeyPath ?? lab!.credentials.privateKeyPath, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
      `pi@${ip}`, ...command,
    ], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
  });

program.parseAsync().catch((err: Error) => {
  console.error(`lab: ${err.message}`);
  process.exit(1);
});
