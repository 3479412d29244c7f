/** The examples shown at the end of each command's --help. */
const examples = (lines: string[]) => `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;

export const helpAfter = {
  program: examples([
    'kbootstrap init                      # ask for what is missing, then build the cluster',
    'kbootstrap -i lab.yaml plan          # what would change on each node',
    'kbootstrap validate --json           # check the inventory, machine-readable',
    'kbootstrap kubeconfig --set-current  # merge the cluster into ~/.kube/config',
  ]) + '\nExit codes: 0 ok, 1 fixable error, 2 usage error, 3 some nodes failed, 70 internal error.\n',
  init: examples([
    'kbootstrap init                               # interactive when the inventory is missing or incomplete',
    'kbootstrap init -i cluster.yaml --yes         # no questions (CI): the inventory must be complete',
    'kbootstrap init --dry-run                     # same as plan',
    'kbootstrap init --skip-addons --concurrency 2',
  ]),
  plan: examples(['kbootstrap plan', 'kbootstrap -i inventories/rpi4-cluster.yaml plan --json']),
  status: examples(['kbootstrap status', 'kbootstrap status --json | jq .']),
  kubeconfig: examples([
    'kbootstrap kubeconfig                          # as the inventory says (default: merge into ~/.kube/config)',
    'kbootstrap kubeconfig --output ./k3s.yaml --no-merge',
    'kbootstrap kubeconfig --context pi --set-current',
  ]),
  reset: examples(['kbootstrap reset                     # asks first', 'kbootstrap reset --yes']),
  knownHostsForget: examples(['kbootstrap known-hosts forget knode2   # after re-flashing its SD card']),
  removeNode: examples(['kbootstrap remove-node knode3', 'kbootstrap remove-node knode3 --no-drain --yes']),
  validate: examples([
    'kbootstrap validate                 # the file; a missing variable or key file is only a warning',
    'kbootstrap validate --strict        # ... and an error, as init and plan treat it',
    'kbootstrap -i inventories/vagrant.yaml validate',
    'kbootstrap validate --json',
  ]),
  schema: examples(['kbootstrap schema > kbootstrap.schema.json', '# then in the inventory: $schema: ./kbootstrap.schema.json']),
};
