import { isEnabled } from './addons.js';
import { error, warning, type RuleInput, type RuleProblem } from './rule-types.js';
import { kafkaSettings, openwhiskAmd64OnlyDefaults, openwhiskChosenImages, openwhiskRuns, openwhiskSettings } from './schema-addons-stream.js';

/** Boards that run a 64-bit ARM OS (Pi OS 64-bit on Pi 4/5). The facts decide at run time; this is the early word. */
const ARM64_BOARDS = new Set(['rpi4', 'rpi5']);

/**
 * What can be said of Kafka and OpenWhisk from the inventory alone. Replaces the OpenWhisk arm64 warning
 * of rules-addons.ts: this one names each component still on an amd64-only image and its key. The
 * refusal itself happens when the addon is rendered for the nodes' real architectures.
 */
export function streamAddonRules(input: RuleInput): RuleProblem[] {
  const addons = input.addons;
  if (!addons) return [];
  const out: RuleProblem[] = [];

  if (isEnabled(addons, 'kafka') && input.rolesKnown) {
    const kafka = kafkaSettings(addons.kafka);
    if (kafka.replicas > input.nodes.length) {
      out.push(
        error({
          path: ['addons', 'kafka', 'replicas'],
          message: `${kafka.replicas} Kafka nodes need ${kafka.replicas} machines (one each); the inventory has ${input.nodes.length}`,
          hint: `set replicas to at most ${input.nodes.length}`,
        }),
      );
    }
  }

  if (isEnabled(addons, 'openwhisk')) {
    const armNodes = input.nodes.filter(({ node }) => ARM64_BOARDS.has(node.board ?? input.board));
    const settings = openwhiskSettings(addons.openwhisk);
    const lacking = openwhiskAmd64OnlyDefaults(openwhiskChosenImages(settings), (c) => openwhiskRuns(settings, c));
    if (armNodes.length > 0 && lacking.length > 0) {
      out.push(
        warning({
          path: ['addons', 'openwhisk'],
          at: 'key',
          message: `${armNodes.length} node(s) are arm64 boards, and OpenWhisk's ${lacking.map((l) => l.component).join(', ')} images are Apache's amd64-only defaults: init will refuse them on arm64 nodes`,
          hint: `set arm64 images under ${lacking.map((l) => l.key).join(', ')} (imageName, imageTag)`,
        }),
      );
    }
  }
  return out;
}
