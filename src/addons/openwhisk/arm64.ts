import { openwhiskAmd64OnlyDefaults } from '../../inventory/schema-addons-stream.js';
import type { Values } from '../kafka/chart.js';
import { imagesInValues, runsIn } from './values.js';

/**
 * The refusal of OpenWhisk's amd64-only default images on a cluster with arm64 nodes, decided before
 * anything is applied. Pure: the images the user gives instead are checked against their registries by
 * the image check, which sees them in this addon's `images`.
 */
export interface Arm64Refusal {
  message: string;
  hint: string;
  components: { component: string; image: string; key: string }[];
}

export function openwhiskArm64Refusal(values: Values, architectures: readonly string[]): Arm64Refusal | undefined {
  if (!architectures.includes('arm64')) return undefined;
  const lacking = openwhiskAmd64OnlyDefaults(imagesInValues(values), (c) => runsIn(values, c));
  if (lacking.length === 0) return undefined;
  const list = lacking.map((l) => `  ${l.component}: ${l.image} (set ${l.key}.imageName and .imageTag)`).join('\n');
  return {
    components: lacking,
    message: `OpenWhisk: the cluster has arm64 nodes, and ${lacking.length} component image(s) are Apache's amd64-only defaults (apache/openwhisk#5503):\n${list}`,
    hint: 'build or find arm64 images for these components and set them under addons.openwhisk.images; kbootstrap checks them for arm64 before applying anything',
  };
}
