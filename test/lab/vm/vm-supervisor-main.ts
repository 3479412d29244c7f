// Entry of the detached vm lab supervisor: `tsx test/lab/vm/vm-supervisor-main.ts <index>` (see vm-supervisor.ts).
import { runVmSupervisor } from './vm-supervisor.js';

const [index] = process.argv.slice(2);
if (index === undefined) {
  console.error('usage: vm-supervisor-main.ts INDEX');
  process.exit(2);
}
await runVmSupervisor(Number(index));
