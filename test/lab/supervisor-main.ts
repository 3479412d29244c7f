// Entry of the detached lab supervisor: `tsx test/lab/supervisor-main.ts <lab-id> <index>`.
import { runSupervisor } from './supervisor.js';

const [id, index] = process.argv.slice(2);
if (!id || index === undefined) {
  console.error('usage: supervisor-main.ts LAB_ID INDEX');
  process.exit(2);
}
await runSupervisor(id, Number(index));
