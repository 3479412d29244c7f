import { attachLab } from '../test/lab/lab.js';
const lab = await attachLab('kblab13');
const cmd = process.argv[2]!;
const r = await lab.exec('kmaster', cmd);
process.stdout.write(r.stdout); process.stderr.write(r.stderr);
