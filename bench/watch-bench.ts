// Issue 4: watch fan-out. One `skiff server` process, 1,000 concurrent
// watchers on services (one socket each, undici), then:
//  - latency: service creates and updates one at a time; for each write, the
//    time from just before its HTTP request is sent until each watcher has the
//    event (so it includes the write itself: admission, the SQLite commit and
//    the hub's pick-up), as p50 and p99 over every delivery, and the time until
//    the last of the 1,000 has it;
//  - saturation: a burst of updates with many in flight, counting event
//    deliveries per second across all watchers until every watcher has all;
//  - the server's RSS, idle with 1,000 watchers and after the burst.
// Targets: p99 < 50 ms with 1,000 watchers; ≥ 200,000 deliveries/s.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { rssMiB, startSkiffServer } from './support/processes.js';
import { fmt, report, summarize } from './support/stats.js';

const WATCHERS = 1000;
const LATENCY_WRITES = 200;
const WARMUP_WRITES = 20;
const BURST_WRITES = 2000;
const BURST_IN_FLIGHT = 32;
const NEWLINE = 0x0a;
const COLLECTION = '/api/v1/namespaces/default/services';

function serviceBody(name: string, round: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: 'bench', round: String(round) } },
    spec: { selector: { app: 'bench' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

/** Counts the events every watcher has received and wakes whoever waits for a total. */
class Deliveries {
  readonly perWatcher = new Uint32Array(WATCHERS);
  total = 0;
  /** Start time of the k-th event, for per-delivery latency; undefined while not sampling. */
  starts: number[] | undefined;
  readonly samples: number[] = [];
  private waiting: { target: number; resolve: () => void } | undefined;

  record(watcher: number, chunk: Buffer): void {
    let at = chunk.indexOf(NEWLINE);
    if (at < 0) return;
    const now = performance.now();
    while (at >= 0) {
      const k = this.perWatcher[watcher]!++;
      this.total++;
      const started = this.starts?.[k];
      if (started !== undefined) this.samples.push(now - started);
      at = chunk.indexOf(NEWLINE, at + 1);
    }
    if (this.waiting && this.total >= this.waiting.target) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve();
    }
  }

  until(target: number, timeoutMs = 60_000): Promise<void> {
    if (this.total >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watchers received ${this.total} of ${target} events within ${timeoutMs} ms`)), timeoutMs);
      this.waiting = { target, resolve: () => { clearTimeout(timer); resolve(); } };
    });
  }
}

export interface WatchFanoutFigures {
  perDelivery: ReturnType<typeof summarize>;
  toAll: ReturnType<typeof summarize>;
  deliveriesPerSecond: number;
  burstWritesPerSecond: number;
  baseRssMiB: number;
  idleRssMiB: number;
  burstRssMiB: number;
  /** Server CPU time (user + system) per delivery during the burst, in µs: capacity independent of other load. */
  cpuMicrosPerDelivery: number;
}

/** Server CPU time, user + system, in seconds, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs the latency and saturation phases against a running server whose process is `pid`. */
export async function measureWatchFanout(url: string, pid: number): Promise<WatchFanoutFigures> {
  const writer = new Pool(url, { connections: BURST_IN_FLIGHT });
  const watchers = new Pool(url, { connections: WATCHERS, pipelining: 1, bodyTimeout: 0, headersTimeout: 0 });
  const deliveries = new Deliveries();
  const write = async (method: 'POST' | 'PUT', name: string, round: number): Promise<void> => {
    const path = method === 'POST' ? COLLECTION : `${COLLECTION}/${name}`;
    const response = await writer.request({ method, path, headers: { 'content-type': 'application/json' }, body: serviceBody(name, round) });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`${method} ${path} → ${response.statusCode}`);
  };
  // PUT without a resourceVersion replaces whatever is current, so updates need no read first.
  const update = (name: string, round: number) => write('PUT', name, round);

  try {
    const baseRssMiB = await rssMiB(pid);
    const start = await writer.request({ method: 'GET', path: COLLECTION });
    const revision = ((await start.body.json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    await Promise.all(Array.from({ length: WATCHERS }, async (_, w) => {
      const response = await watchers.request({ method: 'GET', path: `${COLLECTION}?watch=true&resourceVersion=${revision}` });
      if (response.statusCode !== 200) throw new Error(`watch → ${response.statusCode}`);
      response.body.on('data', (chunk: Buffer) => deliveries.record(w, chunk));
      response.body.on('error', () => undefined);
    }));
    const idleRssMiB = await rssMiB(pid);

    // Latency: one write at a time, each waited for at every watcher.
    const starts: number[] = [];
    const lastArrival: number[] = [];
    for (let i = 0; i < WARMUP_WRITES + LATENCY_WRITES; i++) {
      if (i === WARMUP_WRITES) deliveries.starts = starts;
      const started = performance.now();
      starts[i] = started;
      if (i < 50) await write('POST', `svc-${i}`, 0);
      else await update(`svc-${i % 50}`, i);
      await deliveries.until((i + 1) * WATCHERS);
      if (i >= WARMUP_WRITES) lastArrival.push(performance.now() - started);
    }
    deliveries.starts = undefined;

    // Saturation: many updates in flight; deliveries counted until every watcher has every event.
    const before = deliveries.total;
    const cpuBefore = await cpuSeconds(pid);
    const burstStarted = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: BURST_IN_FLIGHT }, async () => {
      while (next < BURST_WRITES) {
        const i = next++;
        await update(`svc-${i % 50}`, 10_000 + i);
      }
    }));
    const writesDone = performance.now();
    await deliveries.until(before + BURST_WRITES * WATCHERS);
    const seconds = (performance.now() - burstStarted) / 1000;
    const cpuUsed = (await cpuSeconds(pid)) - cpuBefore;
    return {
      perDelivery: summarize(deliveries.samples),
      toAll: summarize(lastArrival),
      deliveriesPerSecond: (BURST_WRITES * WATCHERS) / seconds,
      burstWritesPerSecond: BURST_WRITES / ((writesDone - burstStarted) / 1000),
      baseRssMiB,
      idleRssMiB,
      burstRssMiB: await rssMiB(pid),
      cpuMicrosPerDelivery: (cpuUsed * 1e6) / (BURST_WRITES * WATCHERS),
    };
  } finally {
    await watchers.destroy();
    await writer.close();
  }
}

export async function runWatchBench(): Promise<void> {
  process.stdout.write('\n== Watch: 1,000 watchers on services ==\n');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-watch-bench-'));
  const skiff = await startSkiffServer(['--data', join(dir, 'skiff.db')]);
  try {
    const f = await measureWatchFanout(skiff.url, skiff.child.pid!);
    // Fan-out is bound by socket writes; other load on the machine shows in every figure but CPU per delivery.
    report('load average (1 min) at the end, CPUs', `${fmt(loadavg()[0]!, 1)} / ${availableParallelism()}`);
    report(`per delivery, ${WATCHERS} watchers, from before the write request: p50`, `${fmt(f.perDelivery.p50, 2)} ms`, `${f.perDelivery.count} deliveries`);
    report('per delivery, p99', `${fmt(f.perDelivery.p99, 2)} ms`, `target < 50 ms (${f.perDelivery.p99 < 50 ? 'met' : 'missed'})`);
    report(`until the last of ${WATCHERS} watchers has the event: p50`, `${fmt(f.toAll.p50, 2)} ms`);
    report('until the last watcher has it, p99', `${fmt(f.toAll.p99, 2)} ms`);
    report(`saturation: ${BURST_WRITES} updates, ${BURST_IN_FLIGHT} in flight, deliveries`, `${fmt(f.deliveriesPerSecond, 0)} /s`,
      `target ≥ 200,000 (${f.deliveriesPerSecond >= 200_000 ? 'met' : 'missed'}); writes ${fmt(f.burstWritesPerSecond, 0)}/s`);
    report('server CPU per delivery during the burst', `${fmt(f.cpuMicrosPerDelivery, 2)} µs`,
      `${fmt(1e6 / f.cpuMicrosPerDelivery, 0)} deliveries per CPU-second`);
    report('server RSS before the watchers', `${fmt(f.baseRssMiB, 1)} MiB`);
    report(`server RSS, ${WATCHERS} idle watchers`, `${fmt(f.idleRssMiB, 1)} MiB`,
      `${fmt(((f.idleRssMiB - f.baseRssMiB) * 1024) / WATCHERS, 1)} KiB per watcher`);
    report('server RSS after the burst', `${fmt(f.burstRssMiB, 1)} MiB`);
  } finally {
    await skiff.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
