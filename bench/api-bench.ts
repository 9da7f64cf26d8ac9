// Issue: the foundation benchmark. One run measures skiff's pod create rate over
// HTTP (64 keep-alive connections) against a bare fastify echo of the same JSON
// and raw better-sqlite3 inserts with the same durability settings, and the
// latency of a label-selector list of 100 pods out of 10,000.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { SQLITE_SYNCHRONOUS } from '../storage/sqlite-store.js';
import { startNodeProcess, startSkiffServer } from './support/processes.js';
import { fmt, report, summarize } from './support/stats.js';

const CONNECTIONS = 64;
// A rate, so a smaller sample does: with synchronous=FULL each of these inserts
// waits for its own sync, a few hundred a second on an ordinary disk.
const RAW_INSERTS = 2_000;

function podBody(name: string, labels: Record<string, string>, nodeName?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'registry.example/app:1.0', ports: [{ containerPort: 8080, name: 'http' }] }] },
  });
}

/** Sends `total` POSTs keeping CONNECTIONS in flight; returns requests per second. */
export async function postRate(url: string, path: string, total: number, body: (i: number) => string, headers: Record<string, string> = {}): Promise<number> {
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1 });
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const response = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: body(i) });
      await response.body.dump();
      if (response.statusCode !== 201) failures++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.close();
  if (failures > 0) throw new Error(`${failures} of ${total} requests to ${path} failed`);
  return total / seconds;
}

function rawSqliteRate(dir: string, total: number): number {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SQLITE_SYNCHRONOUS}`);
  db.exec('CREATE TABLE objects (resource TEXT, namespace TEXT, name TEXT, revision INTEGER, value TEXT, PRIMARY KEY (resource, namespace, name)) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO objects VALUES (?, ?, ?, ?, ?)');
  // One transaction per insert, as each API create is one transaction.
  const write = db.transaction((i: number) => insert.run('pods', 'default', `raw-${i}`, i, podBody(`raw-${i}`, { app: 'raw' })));
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) write.immediate(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return total / seconds;
}

export async function runApiBench(): Promise<void> {
  // Every commit syncs (FULL) or only checkpoints do (NORMAL): the figure to compare runs by.
  process.stdout.write(`\n== API: creates and selector lists (SQLite WAL, synchronous=${SQLITE_SYNCHRONOUS}) ==\n`);
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const skiff = await startSkiffServer(['--data', join(dir, 'skiff.db')]);
  await fetch(`${skiff.url}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'bench-bound' } }) });
  const echo = await startNodeProcess('bench/reference/echo-server.ts', []);
  try {
    const warm = 1000;
    await postRate(echo.url, '/echo', warm, (i) => podBody(`w-${i}`, { app: 'warm' }));
    await postRate(skiff.url, '/api/v1/namespaces/default/pods', warm, (i) => podBody(`warm-${i}`, { app: 'warm' }));

    const creates = 10_000;
    const echoRate = await postRate(echo.url, '/echo', creates, (i) => podBody(`e-${i}`, { app: `bench-${i % 100}` }));
    const createRate = await postRate(skiff.url, '/api/v1/namespaces/default/pods', creates - warm, (i) => podBody(`pod-${i}`, { app: `bench-${i % 100}` }));
    // Pods already bound to a (missing) node: no scheduler write follows, so this is the create path alone.
    const boundRate = await postRate(skiff.url, '/api/v1/namespaces/bench-bound/pods', creates, (i) => podBody(`bound-${i}`, { app: 'bound' }, 'bench-node'));
    const rawRate = rawSqliteRate(dir, RAW_INSERTS);
    report('bare fastify JSON echo (reference)', `${fmt(echoRate, 0)} req/s`);
    report(`raw better-sqlite3 inserts, WAL, synchronous=${SQLITE_SYNCHRONOUS}, one txn each (reference)`, `${fmt(rawRate, 0)} ins/s`);
    report(`skiff pod creates, ${CONNECTIONS} keep-alive connections`, `${fmt(createRate, 0)} req/s`,
      `${fmt((100 * createRate) / echoRate, 1)}% of echo (target ≥ 40%), ${fmt((100 * createRate) / rawRate, 1)}% of raw inserts; the scheduler writes a condition on each`);
    report('skiff pod creates, pods bound at create (no scheduler write)', `${fmt(boundRate, 0)} req/s`,
      `${fmt((100 * boundRate) / echoRate, 1)}% of echo`);

    // 10,000 pods now exist (1,000 warm-up + 9,000), 90 per bench-N label plus warm-ups; add 10 more to bench-42 → 100.
    await postRate(skiff.url, '/api/v1/namespaces/default/pods', 10, (i) => podBody(`extra-${i}`, { app: 'bench-42' }));
    const pool = new Pool(skiff.url, { connections: 1 });
    const samples: number[] = [];
    let matched = 0;
    for (let i = 0; i < 200; i++) {
      const started = process.hrtime.bigint();
      const response = await pool.request({ method: 'GET', path: '/api/v1/namespaces/default/pods?labelSelector=app%3Dbench-42' });
      const list = (await response.body.json()) as { items: unknown[] };
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      matched = list.items.length;
    }
    await pool.close();
    const stats = summarize(samples.slice(20));
    report(`list by label selector: ${matched} of 10,010 pods, median`, `${fmt(stats.p50, 2)} ms`, 'target < 20 ms');
    report('list by label selector, p99', `${fmt(stats.p99, 2)} ms`);
  } finally {
    await skiff.stop();
    await echo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
