import { UserError } from '../../errors.js';
import type { KafkaSettings } from '../../inventory/schema-addons-stream.js';
import type { AddonClusterFacts } from '../types.js';

/**
 * How big the Kafka cluster is: nodes, heap, memory per pod, replication. Pure. A 4 GB Pi 4 shows about
 * 3.7 GiB of MemTotal; with the OS and k3s on it, one Kafka node with a 512 MiB heap leaves room for the
 * rest of the stack, a 1 GiB heap does not.
 */

/** Nodes at or below this much memory count as small (a 4 GB Pi 4 reports ~3.7 GiB). */
export const SMALL_NODE_MIB = 4096;
export const SMALL_HEAP_MIB = 512;
export const LARGE_HEAP_MIB = 1024;
/** Off-heap on top of the heap: metaspace, direct buffers, threads (Kafka's page cache is the node's). */
export const KAFKA_OFF_HEAP_MIB = 512;
export const KAFKA_CPU_MILLI = 250;

export interface KafkaSizing {
  replicas: number;
  heapMiB: number;
  /** Request = limit: a Kafka node that may exceed its request is the first OOM kill on a Pi. */
  memoryMiB: number;
  cpuMilli: number;
  /** Replication factor of the internal and default topics: min(replicas, 3). */
  replicationFactor: number;
  /** min.insync.replicas: 2 with 3 replicas (one node may be down), else 1 so writes work at all. */
  minInsync: number;
}

export function replicationFor(replicas: number): { replicationFactor: number; minInsync: number } {
  const replicationFactor = Math.min(replicas, 3);
  return { replicationFactor, minInsync: replicationFactor >= 3 ? 2 : 1 };
}

export function kafkaSizing(settings: KafkaSettings, cluster: Pick<AddonClusterFacts, 'nodes'>): KafkaSizing {
  const known = cluster.nodes.filter((n) => n.memoryMiB > 0).map((n) => n.memoryMiB);
  const smallest = known.length > 0 ? Math.min(...known) : SMALL_NODE_MIB;
  const heapMiB = settings.heapMiB ?? (smallest <= SMALL_NODE_MIB ? SMALL_HEAP_MIB : LARGE_HEAP_MIB);
  const memoryMiB = heapMiB + KAFKA_OFF_HEAP_MIB;
  const replicas = settings.replicas;

  if (replicas > cluster.nodes.length) {
    throw new UserError(`addons.kafka.replicas is ${replicas}, but the cluster has ${cluster.nodes.length} node(s): each Kafka node needs a node of its own`, {
      hint: `set addons.kafka.replicas to at most ${cluster.nodes.length}, or add nodes`,
    });
  }
  // A node holds a Kafka pod when its memory, less what the OS and k3s keep, covers the pod's request.
  const holders = cluster.nodes.filter((n) => n.memoryMiB === 0 || n.memoryMiB - systemReserveMiB(n.role) >= memoryMiB);
  if (holders.length < replicas) {
    throw new UserError(
      `addons.kafka.replicas is ${replicas} with ${memoryMiB} MiB per Kafka node (heap ${heapMiB} MiB), but only ${holders.length} node(s) have that much left after the OS and k3s`,
      { hint: 'lower addons.kafka.replicas or addons.kafka.heapMiB' },
    );
  }
  return { replicas, heapMiB, memoryMiB, cpuMilli: KAFKA_CPU_MILLI, ...replicationFor(replicas) };
}

/** Memory the OS and k3s itself keep on a node (a server runs the API server, its datastore, the controllers). */
export function systemReserveMiB(role: 'server' | 'agent'): number {
  return role === 'server' ? 1024 : 512;
}
