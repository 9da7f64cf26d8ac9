// Issue 3, item 8: the time to allocate the last 1% of a /16 service range.
// The range is filled to 99% with Services holding random addresses (so the
// free 1% is scattered as in a long-lived cluster), then the remaining 655
// addresses are taken by Services created over HTTP, one at a time, each
// with an automatic ClusterIP. The same creates into an empty range are the
// reference: a search that scanned Services or the range would show up as
// the ratio between the two. The allocator on its own is timed the same way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { ClusterIpAllocator } from '../api/allocators/clusterip-allocator.js';
import { SkiffServer } from '../api/server.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import { fmt, report, summarize } from './support/stats.js';

const SERVICE_CIDR = '10.96.0.0/16';
const FILL_BATCH = 2000;

/** A random order of the range's usable offsets (Fisher–Yates). */
function shuffledOffsets(first: number, last: number): number[] {
  const offsets = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  for (let i = offsets.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [offsets[i], offsets[j]] = [offsets[j]!, offsets[i]!];
  }
  return offsets;
}

/** Without a selector, so the endpoints controllers have nothing to do and only allocation is measured. */
function serviceBody(name: string, clusterIP?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: name } },
    spec: { ports: [{ port: 80, targetPort: 8080 }], ...(clusterIP ? { clusterIP } : {}) },
  });
}

/** Waits until no write has happened for a while, so background work does not share the measurement. */
async function settle(server: SkiffServer): Promise<void> {
  let seen = -1;
  for (;;) {
    const revision = server.store.currentRevision();
    if (revision === seen) return;
    seen = revision;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Creates `count` Services one after another over HTTP; per-request latencies in ms. */
async function createOneByOne(pool: Pool, prefix: string, count: number): Promise<{ latencies: number[]; statuses: Map<number, number> }> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    const response = await pool.request({
      method: 'POST', path: '/api/v1/namespaces/default/services', headers: { 'content-type': 'application/json' }, body: serviceBody(`${prefix}-${i}`),
    });
    await response.body.dump();
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
  }
  return { latencies, statuses };
}

/** The allocator alone: `count` allocations, one transaction each, into a range with `filled` offsets taken. */
function allocatorLatencies(allocator: ClusterIpAllocator, filled: readonly number[], count: number): number[] {
  const store = new SqliteStore({ path: ':memory:' });
  try {
    store.transaction((txn) => {
      for (const value of filled) txn.allocate(allocator.pool, value, { resource: 'services', namespace: 'default', name: `fill-${value}` });
    });
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint();
      store.transaction((txn) => allocator.allocateNext(txn, { resource: 'services', namespace: 'default', name: `last-${i}` }));
      latencies.push(Number(process.hrtime.bigint() - started) / 1e3);
    }
    return latencies;
  } finally {
    store.close();
  }
}

export async function runAllocationBench(): Promise<void> {
  process.stdout.write('\n== Allocation: the last 1% of a /16 service range ==\n');
  const allocator = new ClusterIpAllocator(SERVICE_CIDR);
  const usable = allocator.range.last - allocator.range.first + 1;
  const last = Math.floor(usable / 100);
  const offsets = shuffledOffsets(allocator.range.first, allocator.range.last);
  const filled = offsets.slice(0, usable - last);

  const emptyAlone = summarize(allocatorLatencies(allocator, [], last));
  const fullSamples = allocatorLatencies(allocator, filled, last);
  const fullAlone = summarize(fullSamples);
  report(`allocator alone, ${last} allocations into an empty range (reference)`, `p50 ${fmt(emptyAlone.p50)} µs`, `p99 ${fmt(emptyAlone.p99)} µs`);
  report(`allocator alone, the last ${last} addresses of ${usable}`, `p50 ${fmt(fullAlone.p50)} µs`,
    `p99 ${fmt(fullAlone.p99)} µs, ${fmt(fullAlone.p50 / emptyAlone.p50, 2)}× the empty range`);
  report(`allocator alone, total for the last ${last} addresses`, `${fmt(fullSamples.reduce((sum, v) => sum + v, 0) / 1000, 1)} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'skiff-alloc-bench-'));
  const server = await SkiffServer.create({ host: '127.0.0.1', port: 0, dataPath: join(dir, 'skiff.db'), logLevel: 'silent', serviceCidr: SERVICE_CIDR });
  const url = await server.listen();
  const pool = new Pool(url, { connections: 1 });
  try {
    const services = server.registries.get('services');
    if (!services) throw new Error('the server has no services registry');
    await settle(server);
    const empty = await createOneByOne(pool, 'first', last);
    for (let i = 0; i < last; i++) services.delete('default', `first-${i}`);

    // The fill goes through the registry (admission and allocation included), many creates per transaction.
    const fillStarted = process.hrtime.bigint();
    for (let i = 0; i < filled.length; i += FILL_BATCH) {
      server.store.transaction(() => {
        for (const value of filled.slice(i, i + FILL_BATCH)) services.create('default', JSON.parse(serviceBody(`fill-${value}`, allocator.addressOf(value))));
      });
    }
    const fillSeconds = Number(process.hrtime.bigint() - fillStarted) / 1e9;
    const free = usable - server.store.allocations(allocator.pool).length;
    report(`fill to ${usable - free} of ${usable} addresses through the registry`, `${fmt(fillSeconds, 1)} s`);
    await settle(server);

    const started = process.hrtime.bigint();
    const full = await createOneByOne(pool, 'last', free);
    const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    const overflow = await createOneByOne(pool, 'overflow', 1);
    if (full.statuses.get(201) !== free) throw new Error(`expected ${free} creates to succeed, got ${JSON.stringify([...full.statuses])}`);
    if (!overflow.statuses.has(500)) throw new Error(`expected the full range to answer 500, got ${JSON.stringify([...overflow.statuses])}`);

    const emptyStats = summarize(empty.latencies);
    const fullStats = summarize(full.latencies);
    report(`HTTP Service creates, first ${last} of an empty /16 (reference)`, `p50 ${fmt(emptyStats.p50, 2)} ms`, `p99 ${fmt(emptyStats.p99, 2)} ms`);
    report(`HTTP Service creates, the last ${free} addresses of the /16`, `p50 ${fmt(fullStats.p50, 2)} ms`,
      `p99 ${fmt(fullStats.p99, 2)} ms, ${fmt(fullStats.p50 / emptyStats.p50, 2)}× the empty range`);
    report(`total time to allocate the last ${free} addresses over HTTP`, `${fmt(totalMs, 0)} ms`);
    report('one more create into the full range (500 range is full)', `${fmt(overflow.latencies[0] ?? Number.NaN, 2)} ms`);
  } finally {
    await pool.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
