import { describe, expect, it } from 'vitest';
import { kafkaAddon } from '../../../src/addons/kafka/index.js';
import { systemReserveMiB } from '../../../src/addons/kafka/sizing.js';
import { openwhiskAddon } from '../../../src/addons/openwhisk/index.js';
import type { AddonFootprint } from '../../../src/addons/types.js';
import { cluster, input } from './cluster.js';

/**
 * The footprints of Kafka, its broker and OpenWhisk against 4 × Pi 4 (4 GB). The engine owns the fit
 * warning; this checks the numbers these modules give it. Model: a node's room is its MemTotal less what
 * the OS and k3s keep (the engine's estimate: 1 GiB on a server, 512 MiB on an agent); a footprint with N replicas is N pods on N different nodes; "fits" = every pod
 * placed (first fit, largest first) with 15% of the cluster's room left for page cache, the kubelet's
 * eviction threshold and bursts.
 */
const SHA = { 'eventing-kafka-controller.yaml': 'a'.repeat(64), 'eventing-kafka-broker.yaml': 'b'.repeat(64) };
/** cert-manager (3 pods) + Knative Serving, Kourier, Eventing (~12 pods): a generous 1 GiB of requests. */
const CERT_MANAGER_AND_KNATIVE: AddonFootprint[] = [{ memoryMiB: 1024, cpuMilli: 1000, replicas: 1 }];
const HEADROOM = 0.15;

function fit(footprints: AddonFootprint[], room: number[]) {
  const free = [...room];
  const total = room.reduce((a, b) => a + b, 0);
  const used = footprints.reduce((a, f) => a + f.memoryMiB * f.replicas, 0);
  let placed = true;
  for (const f of [...footprints].sort((a, b) => b.memoryMiB - a.memoryMiB)) {
    const taken = new Set<number>();
    for (let r = 0; r < f.replicas; r++) {
      const i = free.findIndex((m, idx) => !taken.has(idx) && m >= f.memoryMiB);
      if (i < 0) placed = false;
      else {
        free[i]! -= f.memoryMiB;
        taken.add(i);
      }
    }
  }
  return { placed, used, total, share: used / total, fits: placed && used <= total * (1 - HEADROOM) };
}

const pis = cluster(4, { labels: [{ 'openwhisk-role': 'core' }, { 'openwhisk-role': 'invoker' }, { 'openwhisk-role': 'core' }, { 'openwhisk-role': 'core' }] });
const room = pis.nodes.map((n) => n.memoryMiB - systemReserveMiB(n.role));
const ARM_IMAGES = Object.fromEntries(['controller', 'invoker', 'utility', 'apigw'].map((c) => [c, { imageName: `me/${c}`, imageTag: 'arm64' }]));

describe('Pi 4 sizing (4 × 4 GB)', () => {
  it('cert-manager + Knative + one Kafka node with the broker fits, with room to spare', () => {
    const kafka = kafkaAddon.render(input({ kafka: { knativeBroker: true, checksums: SHA }, eventing: true }, pis));
    const r = fit([...CERT_MANAGER_AND_KNATIVE, ...kafka.footprint], room);
    expect(r.fits).toBe(true);
    expect(r.share).toBeLessThan(0.5);
  });

  it('three brokers + OpenWhisk do not: OpenWhisk alone asks ~6.6 GiB, three Kafka nodes ~3 GiB, the broker data plane ~1.3 GiB', () => {
    const kafka = kafkaAddon.render(input({ kafka: { replicas: 3, knativeBroker: true, checksums: SHA }, eventing: true }, pis));
    const whisk = openwhiskAddon.render(input({ openwhisk: { images: ARM_IMAGES } }, pis));
    const sum = (f: AddonFootprint[]) => f.reduce((a, x) => a + x.memoryMiB * x.replicas, 0);
    // Why: the invoker starts up to 2 GiB of action pods next to its JVM, the controller and OpenWhisk's
    // own Kafka are JVMs of ~1.5 GiB each, and each Strimzi node is a 1 GiB pod on a machine of its own:
    // more than the four boards have left after the OS and k3s.
    expect(sum(whisk.footprint)).toBeGreaterThan(6500);
    expect(kafka.footprint.find((f) => f.replicas === 3)).toEqual({ memoryMiB: 1024, cpuMilli: 250, replicas: 3 });
    const r = fit([...CERT_MANAGER_AND_KNATIVE, ...kafka.footprint, ...whisk.footprint], room);
    expect(r.total).toBe(2772 + 3 * 3284);
    expect(r.share).toBeGreaterThan(1);
    expect(r.fits).toBe(false);
  });

  it('one Kafka node + OpenWhisk without the broker fits, tightly', () => {
    const kafka = kafkaAddon.render(input({ kafka: {} }, pis));
    const whisk = openwhiskAddon.render(input({ openwhisk: { images: ARM_IMAGES } }, pis));
    const r = fit([...CERT_MANAGER_AND_KNATIVE, ...kafka.footprint, ...whisk.footprint], room);
    expect(r.fits).toBe(true);
    expect(r.share).toBeGreaterThan(0.6);
  });
});
