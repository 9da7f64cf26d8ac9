// `skiff dns` under load: 10,000 Services created through the HTTP API, then
// a bounded loop of UDP A queries for random Services with many in flight,
// against a bare UDP responder in the same run for the ratio. Target ≥ 20,000 q/s.
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { Pool } from 'undici';
import { startNodeProcess, startSkiffServer, type RunningProcess } from './support/processes.js';
import { fmt, report, summarize } from './support/stats.js';

const SERVICES = 10_000;
const CREATE_CONCURRENCY = 64;
const SOCKETS = 4;
const IN_FLIGHT_PER_SOCKET = 64;
const WARMUP_MS = 1_000;
const MEASURE_MS = 5_000;
/** A query unanswered for this long counts as lost and its slot is reused. */
const LOST_AFTER_MS = 1_000;

const UDP_READY = /listening on (?:udp\+tcp|udp) (\S+)/;

async function createServices(url: string): Promise<void> {
  const pool = new Pool(url, { connections: CREATE_CONCURRENCY });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < SERVICES) {
      const i = next++;
      const response = await pool.request({
        method: 'POST',
        path: '/api/v1/namespaces/default/services',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}` }, spec: { ports: [{ name: 'http', port: 80 }] } }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 201) throw new Error(`creating svc-${i} failed with ${response.statusCode}: ${text}`);
    }
  };
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, worker));
  await pool.close();
}

function startDns(serverUrl: string): Promise<RunningProcess> {
  return startNodeProcess('cli/main.ts', ['dns', '--server', serverUrl, '--listen', '127.0.0.1:0', '--log-level', 'warn'], UDP_READY);
}

interface LoadResult {
  answered: number;
  failed: number;
  lost: number;
  seconds: number;
  latenciesMs: number[];
}

/**
 * Keeps SOCKETS × IN_FLIGHT_PER_SOCKET queries outstanding for a fixed time;
 * every reply (or loss) sends the next query. Replies are checked from the
 * header only (id, rcode, answer count) so the generator stays cheap.
 */
async function loadLoop(port: number, queries: Buffer[], durationMs: number, expectAnswers: boolean): Promise<LoadResult> {
  const result: LoadResult = { answered: 0, failed: 0, lost: 0, seconds: 0, latenciesMs: [] };
  let running = true;
  let cursor = 0;
  const sockets = await Promise.all(
    Array.from({ length: SOCKETS }, async () => {
      const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      return socket;
    }),
  );
  const state = sockets.map((socket) => ({ socket, sentAt: new Float64Array(65536), pending: new Uint8Array(65536), nextId: 0 }));

  const send = (s: (typeof state)[number]): void => {
    if (!running) return;
    let id = s.nextId;
    while (s.pending[id] === 1) id = (id + 1) & 0xffff;
    s.nextId = (id + 1) & 0xffff;
    const query = queries[cursor]!;
    cursor = (cursor + 7919) % queries.length; // a large prime stride: a pseudo-random walk over all names
    query.writeUInt16BE(id, 0);
    s.pending[id] = 1;
    s.sentAt[id] = performance.now();
    s.socket.send(query, port, '127.0.0.1');
  };

  for (const s of state) {
    s.socket.on('message', (reply) => {
      const id = reply.readUInt16BE(0);
      if (s.pending[id] !== 1) return;
      s.pending[id] = 0;
      result.latenciesMs.push(performance.now() - s.sentAt[id]!);
      const ok = (reply.readUInt16BE(2) & 0xf) === 0 && (!expectAnswers || reply.readUInt16BE(6) > 0);
      if (ok) result.answered++;
      else result.failed++;
      send(s);
    });
  }
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const s of state) {
      for (let id = 0; id < 65536; id++) {
        if (s.pending[id] === 1 && now - s.sentAt[id]! > LOST_AFTER_MS) {
          s.pending[id] = 0;
          result.lost++;
          send(s);
        }
      }
    }
  }, 250);

  const started = performance.now();
  for (const s of state) for (let i = 0; i < IN_FLIGHT_PER_SOCKET; i++) send(s);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  running = false;
  result.seconds = (performance.now() - started) / 1000;
  clearInterval(sweep);
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const s of state) s.socket.close();
  return result;
}

function printLoad(label: string, load: LoadResult, note = ''): number {
  const rate = load.answered / load.seconds;
  const stats = summarize(load.latenciesMs);
  report(label, `${fmt(rate, 0)} q/s`, note);
  report('  latency p50 / p99', `${fmt(stats.p50, 2)} / ${fmt(stats.p99, 2)} ms`);
  if (load.failed + load.lost > 0) report('  failed / lost', `${load.failed} / ${load.lost}`);
  return rate;
}

export async function runDnsBench(): Promise<void> {
  process.stdout.write('\n== DNS: A queries for 10,000 Services over UDP ==\n');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-dns-bench-'));
  const processes: RunningProcess[] = [];
  try {
    const server = await startSkiffServer(['--data', join(dir, 'skiff.db')]);
    processes.push(server);
    const createStarted = performance.now();
    await createServices(server.url);
    report(`create ${SERVICES} Services over HTTP (${CREATE_CONCURRENCY} connections)`, `${fmt(SERVICES / ((performance.now() - createStarted) / 1000), 0)} req/s`);

    const syncStarted = performance.now();
    const dns = await startDns(server.url);
    processes.push(dns);
    report('skiff dns start: list 10,000 Services + EndpointSlices, bind', `${fmt(performance.now() - syncStarted, 0)} ms`);
    const responder = await startNodeProcess('bench/reference/udp-static-responder.ts', [], UDP_READY);
    processes.push(responder);

    const queries = Array.from({ length: SERVICES }, (_, i) =>
      dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: `svc-${i}.default.svc.cluster.local`, type: 'A' }] }),
    );
    const dnsPort = Number(dns.url.split(':').at(-1));
    const responderPort = Number(responder.url.split(':').at(-1));

    await loadLoop(responderPort, queries, WARMUP_MS, false);
    const reference = printLoad(`bare UDP responder (reference), ${SOCKETS * IN_FLIGHT_PER_SOCKET} in flight`, await loadLoop(responderPort, queries, MEASURE_MS, false));
    await loadLoop(dnsPort, queries, WARMUP_MS, true);
    const skiff = await loadLoop(dnsPort, queries, MEASURE_MS, true);
    printLoad(`skiff dns, random Service A records, ${SOCKETS * IN_FLIGHT_PER_SOCKET} in flight`, skiff,
      `${fmt((100 * (skiff.answered / skiff.seconds)) / reference, 1)}% of the bare responder (target ≥ 20,000 q/s)`);
    if (skiff.failed > 0) throw new Error(`${skiff.failed} queries got an error or an empty answer`);
  } finally {
    for (const child of processes.reverse()) await child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runDnsBench();
}
