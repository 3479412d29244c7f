import { startLab } from './lab.js';
import { sshSudo } from './ssh-client.js';
import { staticIpCommand } from './static-ip-fixtures.js';
import { labStaticIp } from './inventory.js';
const variants = (process.argv[2] ?? 'bookworm,bullseye,netplan').split(',') as any[];
const arch = (process.argv[3] ?? 'amd64') as any;
let t = Date.now();
const lab = await startLab({ index: 2, nodes: variants.map((v, i) => ({ name: `n${i}`, variant: v, arch })) , log: console.log});
console.log('started', (Date.now() - t) / 1000);
await Promise.all(lab.nodes.map(async (n) => { await lab.waitForSsh(n.name); console.log(n.name, n.variant, 'ssh after', (Date.now() - t) / 1000, await lab.ip(n.name)); }));
await Promise.all(lab.nodes.map(async (n) => {
  const ip = await lab.ip(n.name);
  const i = lab.nodes.indexOf(n);
  const w = await sshSudo(lab, ip, staticIpCommand(n.variant as any, labStaticIp(lab.subnet, i), 24, lab.subnet.gateway));
  console.log(n.name, 'wrote', w.code, w.stderr);
  const t0 = Date.now();
  const r = await sshSudo(lab, ip, 'systemctl reboot', 30000);
  console.log(n.name, 'reboot cmd returned', r.code, (Date.now() - t0) / 1000);
  while (lab.rebootCount(n.name) < 1) await new Promise((r) => setTimeout(r, 200));
  console.log(n.name, n.variant, 'nspawn exited 133 after', (Date.now() - t0) / 1000);
  await lab.waitForSsh(n.name, labStaticIp(lab.subnet, i), 300000);
  console.log(n.name, n.variant, 'ssh back after', (Date.now() - t0) / 1000, await lab.ip(n.name));
}));
if (!process.argv[4]) { t = Date.now(); await lab.down(); console.log('down', (Date.now() - t) / 1000); }
