/**
 * The layer rule (README "Architecture"): an import in src/ only ever points down this list. Modules
 * of one layer may import each other (no cycles: `npm run cycles`), never a layer above them.
 * `npm run layers` checks it; `npm test` runs it next to the cycle check.
 */
const LAYERS = [
  { name: 'cli', dirs: ['cli'] },
  { name: 'actions', dirs: ['actions'] },
  { name: 'phases', dirs: ['phases'] },
  { name: 'planners', dirs: ['os', 'k3s', 'addons', 'kubeconfig', 'validate', 'verify', 'facts'] },
  { name: 'change', dirs: ['change'] },
  { name: 'ssh/inventory', dirs: ['ssh', 'inventory'] },
  { name: 'ground', dirs: ['log', 'errors.ts', 'templates.ts', 'templates-compiled.ts', 'package-root.ts'] },
];

const pathOf = (dirs) => `^src/(${dirs.map((d) => d.replace('.', '\\.')).join('|')})($|/)`;

const forbidden = LAYERS.slice(1).map((layer, i) => ({
  name: `no-upward-import-from-${layer.name.replace('/', '-')}`,
  comment: `${layer.name} is below ${LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')}: it may not import them`,
  severity: 'error',
  from: { path: pathOf(layer.dirs) },
  to: { path: pathOf(LAYERS.slice(0, i + 1).flatMap((l) => l.dirs)) },
}));

/** Every file of src/ belongs to a layer, so a new top-level folder cannot slip past the rule. */
const UNLAYERED = { path: '^src/', pathNot: pathOf(LAYERS.flatMap((l) => l.dirs)) };
const OUTSIDE = 'a file of src/ outside every layer: add its folder to LAYERS in .dependency-cruiser.cjs';
forbidden.push(
  { name: 'layered-imports-from', comment: OUTSIDE, severity: 'error', from: UNLAYERED, to: {} },
  { name: 'layered-imports-to', comment: OUTSIDE, severity: 'error', from: {}, to: UNLAYERED },
  { name: 'layered-orphans', comment: OUTSIDE, severity: 'error', from: { ...UNLAYERED, orphan: true }, to: {} },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
