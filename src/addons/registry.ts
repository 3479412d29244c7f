import type { AddonName } from '../inventory/schema.js';
import { certManagerAddon } from './cert-manager.js';
import { knativeEventingAddon } from './knative-eventing.js';
import { knativeServingAddon } from './knative-serving.js';
import { kafkaAddon } from './kafka/index.js';
import { openwhiskAddon } from './openwhisk/index.js';
import type { AddonModule } from './types.js';

/** Every addon kbootstrap can install, as an explicit list (no registration by import side effect). */
export const ADDON_MODULES: readonly AddonModule[] = [certManagerAddon, knativeServingAddon, knativeEventingAddon, kafkaAddon, openwhiskAddon];

export function addonModule(name: AddonName): AddonModule | undefined {
  return ADDON_MODULES.find((m) => m.name === name);
}
