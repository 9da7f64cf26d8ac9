// Issue 3, item 8: endpoints at scale. 10,000 Services of 10 pods each
// (100,000 pods); then 200 pod label changes over HTTP, each moving one pod
// from one Service to another, timed from the start of the PATCH request to
// the moment both Services' updated EndpointSlices are stored. Target:
// median under 10 ms.
//
// Set-up writes go straight through the registries of an in-process server,
// before it starts its controllers, in large transactions (the full admission
// path: defaults, validation, ClusterIP allocation); HTTP would only measure
// the create rate, which api-bench already does. The label changes go over
// HTTP to the same server, and the bench learns of stored slices from the
// server's watch hub, the way every watch stream does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { SkiffServer } from '../api/server.js';
import type { EndpointSlice } from '../api/schemas/endpointslice.js';
import type { Pod } from '../api/schemas/pod.js';
import { fmt, report, summarize } from './support/stats.js';

const SERVICES = 10_000;
const PODS_PER_SERVICE = 10;
const CHANGES = 200;
const NAMESPACE = 'bench';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function podIP(i: number): string {
  return `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
}

/** Creates the namespace, Services and pods in batches of one transaction each. */
function load(server: SkiffServer): void {
  const services = server.registries.get('services')!;
  const pods = server.registries.get('pods')!;
  server.registries.get('namespaces')!.create('', { metadata: { name: NAMESPACE } });
  const batch = 1000;
  for (let start = 0; start < SERVICES; start += batch) {
    server.store.transaction(() => {
      for (let s = start; s < Math.min(SERVICES, start + batch); s++) {
        services.create(NAMESPACE, {
          metadata: { name: `svc-${s}` },
          spec: { selector: { app: `svc-${s}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
        });
      }
    });
  }
  const total = SERVICES * PODS_PER_SERVICE;
  for (let start = 0; start < total; start += batch) {
    server.store.transaction(() => {
      for (let i = start; i < Math.min(total, start + batch); i++) {
        const name = `pod-${i}`;
        // Bound to a node no agent runs, so neither the scheduler nor the node lifecycle controller has work.
        pods.create(NAMESPACE, {
          metadata: { name, labels: { app: `svc-${i % SERVICES}` } },
          spec: { nodeName: `node-${i % 100}`, containers: [{ name: 'app', image: 'registry.example/app:1.0', ports: [{ name: 'http', containerPort: 8080 }] }] },
        });
        pods.modify(NAMESPACE, name, (object) => {
          const pod = object as Pod;
          pod.status = { ...pod.status, phase: 'Running', podIP: podIP(i), podIPs: [{ ip: podIP(i) }], conditions: [{ type: 'Ready', status: 'True' }] };
          return pod;
        }, 'status');
      }
    });
  }
}

function sliceCount(server: SkiffServer): number {
  return server.store.list({ resource: 'endpointslices', namespace: NAMESPACE }).items.length;
}

/** Resolves once the controllers have written a slice for every Service. */
async function initialSync(server: SkiffServer): Promise<void> {
  for (;;) {
    if (sliceCount(server) >= SERVICES) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runEndpointsBench(): Promise<void> {
  process.stdout.write('\n== Endpoints: pod label change to stored EndpointSlice ==\n');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const server = await SkiffServer.create({ host: '127.0.0.1', port: 0, dataPath: join(dir, 'skiff.db'), logLevel: 'silent' });
  try {
    let started = performance.now();
    load(server);
    report(`set-up: ${SERVICES} Services and ${SERVICES * PODS_PER_SERVICE} pods through the registries`, `${fmt((performance.now() - started) / 1000)} s`);

    started = performance.now();
    const url = await server.listen();
    await initialSync(server);
    report('controllers start: every Service\'s Endpoints and slice written', `${fmt((performance.now() - started) / 1000)} s`);

    // slice contents as last stored, by Service name: a change is done when both Services show it.
    const waiting = new Map<string, (slice: EndpointSlice) => boolean>();
    let settle: (() => void) | undefined;
    server.hub.subscribe('endpointslices', (event) => {
      if (event.type === 'DELETED' || waiting.size === 0) return;
      const slice = event.object as EndpointSlice;
      const service = slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? '';
      const check = waiting.get(service);
      if (check && check(slice)) {
        waiting.delete(service);
        if (waiting.size === 0) settle?.();
      }
    });

    const pool = new Pool(url, { connections: 1 });
    const samples: number[] = [];
    const responses: number[] = [];
    for (let n = 0; n < CHANGES; n++) {
      // Pod n*37 leaves its Service for the next one; every change touches two different Services.
      const i = (n * 37) % (SERVICES * PODS_PER_SERVICE);
      const from = i % SERVICES;
      const to = (from + 1 + n) % SERVICES;
      const ip = podIP(i);
      const has = (slice: EndpointSlice): boolean => (slice.endpoints ?? []).some((e) => e.addresses?.[0] === ip);
      waiting.set(`svc-${from}`, (slice) => !has(slice));
      waiting.set(`svc-${to}`, has);
      const done = new Promise<void>((resolve) => {
        settle = resolve;
      });
      const t0 = performance.now();
      const response = await pool.request({
        method: 'PATCH',
        path: `/api/v1/namespaces/${NAMESPACE}/pods/pod-${i}`,
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ metadata: { labels: { app: `svc-${to}` } } }),
      });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`PATCH pod-${i}: ${response.statusCode}`);
      responses.push(performance.now() - t0);
      await done;
      samples.push(performance.now() - t0);
    }
    await pool.close();
    const stats = summarize(samples);
    const patch = summarize(responses);
    report('PATCH response alone, median (reference)', `${fmt(patch.p50, 2)} ms`);
    report(`label change → both slices stored, median of ${CHANGES}`, `${fmt(stats.p50, 2)} ms`,
      `target < 10 ms; ${fmt(stats.p50 / patch.p50, 1)}× the PATCH alone`);
    report('label change → both slices stored, p99', `${fmt(stats.p99, 2)} ms`, `PATCH alone p99 ${fmt(patch.p99, 2)} ms`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
