import { startLab } from './lab.js';
const [variant, arch] = process.argv.slice(2) as any[];
const lab = await startLab({ index: 2, nodes: [{ name: 'n0', variant, arch }] });
const t = Date.now(); await lab.waitForSsh('n0'); console.log('ssh banner', (Date.now() - t) / 1000, await lab.ip('n0'));
