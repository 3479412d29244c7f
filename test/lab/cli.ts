// `npm run lab -- up|down|status|ssh NODE`: the lab for a person (the tests use lab.ts directly).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { attachLab, downLab, readLabState, requireRoot, startLab, type LabNodeSpec } from './lab.js';
import { ARCHES, defaultLabId, labNames, VARIANTS, type Arch, type Variant } from './paths.js';

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
  .action(async (o: { nodes: number; variant: string; arch: Arch; index?: number; servers: number; out?: string }) => {
    requireRoot();
    const variants = o.variant.split(',') as Variant[];
    for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);
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
    await downLab(defaultLabId(index), index);
    console.error(`lab ${defaultLabId(index)} down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

program
  .command('status')
  .description('the nodes, their power state, addresses and reboots')
  .addOption(indexOption())
  .action(async (o: { index?: number }) => {
    const id = defaultLabId(o.index ?? envIndex());
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
    const lab = await attachLab(defaultLabId(o.index ?? envIndex()));
    const ip = await lab.ip(nodeName);
    const r = spawnSync('ssh', [
      '-i', lab.credentials.privateKeyPath, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
      `pi@${ip}`, ...command,
    ], { stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
  });

program.parseAsync().catch((err: Error) => {
  console.error(`lab: ${err.message}`);
  process.exit(1);
});
