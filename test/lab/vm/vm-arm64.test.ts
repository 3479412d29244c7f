import { vmInitSuite } from './init-suite.js';

// kbootstrap init on one arm64 vm node (a real Debian kernel under QEMU): see init-suite.ts.
vmInitSuite('arm64');
