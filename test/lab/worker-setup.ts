import { workerLabIndex } from './worker-index.js';

// setupFiles of the lab projects (vitest.config.ts): runs in each worker before its test file is
// imported, so every startLab()/startVmLab() default and every file's top-level index read sees it.
const index = workerLabIndex(process.env);
if (index !== undefined) process.env.KBOOTSTRAP_LAB_INDEX = index;
