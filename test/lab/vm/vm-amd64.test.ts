import { vmInitSuite } from './init-suite.js';

// kbootstrap init on one amd64 vm node (a real Debian kernel under QEMU): see init-suite.ts.
vmInitSuite('amd64');
