import type { OpenWhiskSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonFootprint } from '../types.js';
import { isPlainObject, type Values } from '../kafka/chart.js';
import { runsIn } from './values.js';

/**
 * What OpenWhisk's pods take. The chart sets no resource requests, so these are estimates: a JVM's
 * heap (the chart's jvmHeapMB) plus ~512 MiB of JVM overhead; each invoker starts action pods on its node
 * up to whisk.containerPool.userMemory; the bundled Kafka (wurstmeister) runs a 1 GiB heap.
 */
export const JVM_OVERHEAD_MIB = 512;

function numberAt(values: Values, path: string[], fallback: number): number {
  let node: unknown = values;
  for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
  const n = typeof node === 'string' ? Number.parseInt(node, 10) : typeof node === 'number' ? node : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}

export function openwhiskFootprint(settings: OpenWhiskSettings, values: Values): AddonFootprint[] {
  const userMemory = Number.parseInt(settings.invokerMemory, 10);
  const controllerHeap = numberAt(values, ['controller', 'jvmHeapMB'], 1024);
  const invokerHeap = numberAt(values, ['invoker', 'jvmHeapMB'], 512);
  const invokers = numberAt(values, ['invoker', 'containerFactory', 'kubernetes', 'replicaCount'], 1);
  const out: AddonFootprint[] = [
    { memoryMiB: controllerHeap + JVM_OVERHEAD_MIB, cpuMilli: 500, replicas: 1 }, // controller
    { memoryMiB: invokerHeap + JVM_OVERHEAD_MIB, cpuMilli: 500, replicas: invokers }, // invoker
    { memoryMiB: userMemory, cpuMilli: 500, replicas: invokers }, // the action pods each invoker starts on its node
    { memoryMiB: 1024 + 384, cpuMilli: 250, replicas: 1 }, // kafka (wurstmeister, -Xmx1G)
    { memoryMiB: 256, cpuMilli: 100, replicas: 1 }, // zookeeper
    { memoryMiB: 384, cpuMilli: 250, replicas: 1 }, // couchdb
    { memoryMiB: 64, cpuMilli: 50, replicas: 1 }, // apigateway
    { memoryMiB: 32, cpuMilli: 50, replicas: 1 }, // redis
    { memoryMiB: 32, cpuMilli: 50, replicas: 1 }, // nginx
  ];
  for (const provider of ['alarmprovider', 'kafkaprovider'] as const) {
    if (runsIn(values, provider)) out.push({ memoryMiB: 128, cpuMilli: 50, replicas: 1 });
  }
  return out;
}
