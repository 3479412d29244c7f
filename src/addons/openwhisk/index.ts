import { UserError } from '../../errors.js';
import { OPENWHISK_COMPONENTS, openwhiskSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonImage, AddonInput, AddonModule, AddonNoteQuery, AddonRender } from '../types.js';
import { stringify } from 'yaml';
import { helmChart, toYaml } from '../helmchart.js';
import { openwhiskArm64Refusal } from './arm64.js';
import { openwhiskFootprint } from './footprint.js';
import { imagesInValues, OPENWHISK_NODE_PORT, openwhiskValues, runsIn } from './values.js';

/** Apache OpenWhisk through its chart (apache/openwhisk-deploy-kube), reached on NodePort 31001. */

export const OPENWHISK_CHART_VERSION = '1.0.0';
export const OPENWHISK_REPO = 'https://openwhisk.apache.org/charts';
export const OPENWHISK_NAMESPACE = 'openwhisk';
export const OPENWHISK_RELEASE = 'openwhisk';
export const OPENWHISK_FILE = 'openwhisk.yaml';
/** The chart keeps the whisk auth keys (system, guest) in the Secret <release>-whisk.auth. */
export const AUTH_SECRET = `${OPENWHISK_RELEASE}-whisk.auth`;

/** Reads the guest key (base64, as the Secret holds it) once OpenWhisk is ready; it goes only into the `wsk` line. */
export function wskNoteQuery(serverIp: string): AddonNoteQuery {
  return {
    description: `read the OpenWhisk guest key from Secret ${OPENWHISK_NAMESPACE}/${AUTH_SECRET}`,
    args: ['get', 'secret', AUTH_SECRET, '-n', OPENWHISK_NAMESPACE, '-o', 'jsonpath={.data.guest}'],
    note: (output) => `from your laptop: ${wskPropertyLine(serverIp, output)}`,
  };
}

/** The line to point the `wsk` CLI on the laptop at the cluster; `guestBase64` is the output of readGuestAuthStep. */
export function wskPropertyLine(serverIp: string, guestBase64: string): string {
  const auth = Buffer.from(guestBase64.trim(), 'base64').toString('utf8');
  return `wsk property set --apihost ${serverIp}:${OPENWHISK_NODE_PORT} --auth ${auth}`;
}

export const openwhiskAddon: AddonModule = {
  name: 'openwhisk',
  defaultVersion: OPENWHISK_CHART_VERSION,
  needs() {
    return [];
  },
  render(input: AddonInput): AddonRender {
    const settings = openwhiskSettings(input.addons.openwhisk);
    const values = openwhiskValues(settings, input.cluster);
    const refusal = openwhiskArm64Refusal(values, input.cluster.architectures);
    if (refusal) throw new UserError(refusal.message, { hint: refusal.hint });

    const chosen = imagesInValues(values);
    const images: AddonImage[] = OPENWHISK_COMPONENTS.filter((c) => runsIn(values, c.component)).map((c) => ({
      ref: `${chosen[c.component].imageName}:${chosen[c.component].imageTag}`,
      overrideKey: `addons.openwhisk.images.${c.component}`,
      component: c.component,
    }));
    return {
      name: 'openwhisk',
      version: settings.version ?? OPENWHISK_CHART_VERSION,
      manifests: [
        {
          fileName: OPENWHISK_FILE,
          content: toYaml([
            helmChart(OPENWHISK_RELEASE, {
              chart: 'openwhisk',
              repo: OPENWHISK_REPO,
              version: settings.version ?? OPENWHISK_CHART_VERSION,
              targetNamespace: OPENWHISK_NAMESPACE,
              createNamespace: true,
              valuesContent: stringify(values),
            }),
          ]),
        },
      ],
      assets: [],
      steps: [],
      noteQueries: [wskNoteQuery(input.cluster.serverIp)],
      readiness: [
        { kind: 'helmchart', namespace: 'kube-system', name: OPENWHISK_RELEASE },
        { kind: 'job', namespace: OPENWHISK_NAMESPACE, name: `${OPENWHISK_RELEASE}-install-packages` },
      ],
      images,
      footprint: openwhiskFootprint(settings, values),
      notes: [
        `OpenWhisk API on https://${input.cluster.serverIp}:${OPENWHISK_NODE_PORT} (self-signed certificate: use wsk -i)`,
        'Action runtimes (openwhisk/action-*) are pulled by the invoker when an action first runs; the chart\'s runtimes.json names amd64 images.',
      ],
    };
  },
};
