import { stringifyInventory } from './src/inventory/index.ts';
console.log(stringifyInventory({ cluster: { name: 'x', domain: undefined }, ssh: { password: { env: 'PW' } }, nodes: [{ name: 'a', role: 'server', address: '1.2.3.4', staticIp: undefined, labels: {} }] }, { schemaRef: 's.json' }));
