import type { GlobalOptions } from '../../src/actions/options.js';
import type { Step } from './driven-prompts.js';

/** Shared by the wizard tests: options of an interactive run, and one scripted 3-node answer sheet. */
export const options = (o: Partial<GlobalOptions>): GlobalOptions => ({ inventory: 'kb.yaml', dryRun: false, yes: false, json: false, verbose: false, color: false, interactive: true, ...o });

export const PASSWORD = 'pi-Pa55word!';

// A 3-node cluster on the lab subnet, with the mistakes people make typed first.
export const threeNodes: Step[] = [
  { message: /^Cluster name/, answer: 'lab', typo: { text: 'Bad_Name', error: /must be a valid hostname/ } },
  { message: /What are the nodes/, answer: 'rpi4' },
  { message: /static IP addresses/, answer: true },
  { message: /^Gateway/, answer: '10.77.0.1', typo: { text: '10.77.0', error: /must be an IPv4 address/ } },
  { message: /prefix length/, answer: '' },
  { message: /^DNS servers/, answer: '' },
  { message: /How many nodes/, answer: '3' },
  { message: /^Node 1: name/, answer: '' },
  { message: /^kmaster: address/, answer: '10.77.0.100' },
  { message: /^kmaster: static IP/, answer: '', typo: { text: '10.78.0.5', error: /must be inside 10\.77\.0\.0\/24/ } },
  { message: /^kmaster: role/, answer: 'server' },
  { message: /^Node 2: name/, answer: 'knode1', typo: { text: 'kmaster', error: /already the name of another node/ } },
  { message: /^knode1: address/, answer: '10.77.0.101' },
  { message: /^knode1: static IP/, answer: '10.77.0.61', typo: { text: '10.77.0.50', error: /already given to another node/ } },
  { message: /^knode1: role/, answer: 'agent' },
  { message: /^Node 3: name/, answer: '' },
  { message: /^knode2: address/, answer: 'knode2.local' },
  { message: /^knode2: static IP/, answer: '' },
  { message: /^knode2: role/, answer: 'agent' },
  { message: /^SSH user/, answer: '' },
  { message: /How does kbootstrap log in/, answer: 'password-typed' },
  { message: /^Password of pi/, answer: PASSWORD },
  { message: /^k3s version/, answer: 'stable', typo: { text: 'newest', error: /or a channel: stable, latest/ } },
  { message: /^Memory of the smallest node/, answer: '' },
  { message: /^Addons/, answer: ['cert-manager', 'knative-serving'] },
];

// No proposal from the machine the tests run on: its network is not the test's business.
export const noNetwork = () => undefined;
