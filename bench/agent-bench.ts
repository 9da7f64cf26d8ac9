// The node agent's forwarding benchmark. Kernel parts run as root, each in
// a throwaway network namespace (a skip line otherwise):
//   - nftables render + apply at 1,000 and 10,000 Services × 5 endpoints:
//     a full sync (table absent, and replacing a loaded table), then one
//     endpoint change, applied incrementally (what the agent does) and by a
//     full re-render + apply (for comparison);
//   - iptables at 1,000 Services, as the reference the nftables figures are
//     compared with;
//   - network-programming latency: a real server, the agent's proxier
//     (informers → table → nftables), and a burst of 1,000 EndpointSlice
//     changes; each change is timed from its write to the end of the `nft`
//     run that made it live.
// Targets (issue 5): a 10,000-Service full sync under 2 s; one change under
// 100 ms at 10,000 Services; p99 programming latency under 1 s plus the
// sync period. Wall times depend on how busy the machine is, so the load
// average and the CPU time of the nft/iptables processes are printed too.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { type CommandRunner, createCommandRunner } from '../clients/agent/proxy/command-runner.js';
import type { ForwardingBackend } from '../clients/agent/proxy/backend.js';
import type { ForwardingTable, ServicePortRule } from '../clients/agent/proxy/forwarding-table.js';
import { createIptablesBackend } from '../clients/agent/proxy/iptables/iptables-backend.js';
import { renderIptablesRestore } from '../clients/agent/proxy/iptables/iptables-renderer.js';
import { createNftablesBackend } from '../clients/agent/proxy/nftables/nftables-backend.js';
import { renderNftables } from '../clients/agent/proxy/nftables/nftables-renderer.js';
import { LAST_CHANGE_TRIGGER_TIME, Proxier } from '../clients/agent/proxy/proxier.js';
import { KubeClient } from '../clients/client/client.js';
import { Informer } from '../clients/client/informer.js';
import { endpointSlices, services } from '../clients/client/resources.js';
import type { EndpointSlice, Service } from '../clients/client/types.js';
import { startSkiffServer } from './support/processes.js';
import { fmt, report, summarize } from './support/stats.js';

const ENDPOINTS_PER_SERVICE = 5;
const BURST = 1000;
const MIN_SYNC_PERIOD_MS = 1000;
const NODE_IP = '10.250.0.11';

/** `count` ClusterIP Services × 5 endpoints; every fourth is also a NodePort. */
function syntheticTable(count: number): ForwardingTable {
  const rules: ServicePortRule[] = [];
  for (let i = 0; i < count; i++) {
    const endpoints = [];
    for (let j = 0; j < ENDPOINTS_PER_SERVICE; j++) {
      endpoints.push({ ip: `10.${128 + ((i >> 8) % 64)}.${i & 255}.${10 + j}`, port: 8080, local: j === 0 });
    }
    const namespace = `team-${i % 50}`;
    rules.push({
      id: `${namespace}/svc-${i}:http/TCP`,
      namespace,
      service: `svc-${i}`,
      portName: 'http',
      protocol: 'TCP',
      clusterIPs: [`10.96.${i >> 8}.${i & 255}`],
      externalIPs: [],
      port: 80,
      ...(i % 4 === 0 ? { nodePort: 30000 + (i >> 2) } : {}),
      endpoints,
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    });
  }
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { nodeIPs: [NODE_IP], rules };
}

/** The same table with one endpoint of one Service gone. */
function withOneEndpointLess(table: ForwardingTable, index: number): ForwardingTable {
  const rules = [...table.rules];
  const rule = rules[index]!;
  rules[index] = { ...rule, endpoints: rule.endpoints.slice(1) };
  return { nodeIPs: table.nodeIPs, rules };
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, _stdout, stderr) => (error === null ? resolve() : reject(new Error(`${file} ${args.join(' ')}: ${stderr}`))));
  });
}

/** CPU seconds of this process's finished children (nft, iptables-restore): /proc/self/stat cutime + cstime. */
function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; childCpu: number; value: T }> {
  const cpu = childCpuMs();
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, childCpu: childCpuMs() - cpu, value };
}

function median(values: number[]): number {
  return summarize(values).p50;
}

class Namespace {
  readonly name = `skiff-bench-${randomBytes(3).toString('hex')}`;
  readonly runner: CommandRunner = createCommandRunner({ wrapper: ['ip', 'netns', 'exec', this.name], timeoutMs: 120_000 });

  static async create(): Promise<Namespace> {
    const ns = new Namespace();
    await run('ip', ['netns', 'add', ns.name]);
    return ns;
  }

  async delete(): Promise<void> {
    await run('ip', ['netns', 'del', this.name]).catch(() => undefined);
  }
}

async function nftablesAtScale(count: number): Promise<void> {
  const table = syntheticTable(count);
  const label = `${count.toLocaleString('en')} svc`;
  const render = [0, 1, 2].map(() => {
    const started = performance.now();
    renderNftables(table);
    return performance.now() - started;
  });
  report(`nft ${label}: render only (pure)`, `${fmt(median(render), 0)} ms`);

  const ns = await Namespace.create();
  try {
    const backend = createNftablesBackend({ run: ns.runner });
    const first = await timed(() => backend.apply(table));
    report(`nft ${label}: full sync, table absent`, `${fmt(first.ms, 0)} ms`, `nft CPU ${fmt(first.childCpu, 0)} ms; ${first.value.ruleCount} rules+elements; target < 2000 ms at 10,000`);

    const replacing = createNftablesBackend({ run: ns.runner, fullSyncIntervalMs: 0 });
    const replace = await timed(() => replacing.apply(table));
    report(`nft ${label}: full sync, replacing loaded table`, `${fmt(replace.ms, 0)} ms`, `nft CPU ${fmt(replace.childCpu, 0)} ms`);

    const incremental: number[] = [];
    const incrementalCpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      const changed = withOneEndpointLess(table, (i * 97) % count);
      const once = await timed(() => backend.apply(changed));
      if (backend.lastApplyKind !== 'incremental') throw new Error(`expected an incremental apply, got ${backend.lastApplyKind}`);
      incremental.push(once.ms);
      incrementalCpu.push(once.childCpu);
      await backend.apply(table);
    }
    report(`nft ${label}: 1 endpoint change, incremental`, `${fmt(median(incremental), 1)} ms`, `median of 5; nft CPU ${fmt(median(incrementalCpu), 0)} ms; target < 100 ms at 10,000`);

    const full = await timed(() => replacing.apply(withOneEndpointLess(table, 0)));
    report(`nft ${label}: 1 endpoint change, full re-render + apply`, `${fmt(full.ms, 0)} ms`, `${fmt(full.ms / median(incremental), 0)}× the incremental`);
  } finally {
    await ns.delete();
  }
}

async function iptablesReference(count: number): Promise<void> {
  const table = syntheticTable(count);
  const label = `${count.toLocaleString('en')} svc`;
  const started = performance.now();
  renderIptablesRestore(table);
  report(`iptables ${label}: render only (pure)`, `${fmt(performance.now() - started, 0)} ms`);
  const ns = await Namespace.create();
  try {
    const backend = createIptablesBackend({ run: ns.runner });
    const full = await timed(() => backend.apply(table));
    report(`iptables ${label}: full sync (reference)`, `${fmt(full.ms, 0)} ms`, `iptables CPU ${fmt(full.childCpu, 0)} ms; ${full.value.ruleCount} rules`);
    const partial = await timed(() => backend.apply(withOneEndpointLess(table, 0)));
    report(`iptables ${label}: 1 endpoint change, partial sync`, `${fmt(partial.ms, 0)} ms`, `iptables CPU ${fmt(partial.childCpu, 0)} ms`);
  } finally {
    await ns.delete();
  }
}

/** Runs `work(i)` for i in [0, total) with `parallel` in flight. */
async function inParallel(total: number, parallel: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) await work(next++);
    }),
  );
}

function slice(i: number, addresses: number, triggerTime: string): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `svc-${i}-bench`,
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': `svc-${i}`, 'endpointslice.kubernetes.io/managed-by': 'agent-bench' },
      annotations: { [LAST_CHANGE_TRIGGER_TIME]: triggerTime },
    },
    addressType: 'IPv4',
    endpoints: Array.from({ length: addresses }, (_, j) => ({
      addresses: [`10.${128 + (i >> 8)}.${i & 255}.${10 + j}`],
      conditions: { ready: true },
    })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

/** Changes written → rules live, through a real server, informers, the proxier and nftables. */
async function programmingLatency(): Promise<void> {
  const server = await startSkiffServer(['--data', ':memory:']);
  const ns = await Namespace.create();
  const client = new KubeClient({ server: server.url, userAgent: 'skiff-agent-bench' });
  let proxier: Proxier | undefined;
  try {
    await inParallel(BURST, 32, async (i) => {
      await client.create(services, { metadata: { name: `svc-${i}`, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as Service, { namespace: 'default' });
      await client.create(endpointSlices, slice(i, 2, new Date().toISOString()), { namespace: 'default' });
    });

    // The id each change shows up under, and when it was written.
    const pending = new Map<string, number>();
    const latencies: number[] = [];
    let syncs = 0;
    let settled: () => void = () => undefined;
    const allLive = new Promise<void>((resolve) => (settled = resolve));
    const nft = createNftablesBackend({ run: ns.runner });
    const observed: ForwardingBackend = {
      name: 'nftables',
      async apply(table) {
        const result = await nft.apply(table);
        const now = Date.now();
        syncs += 1;
        for (const rule of table.rules) {
          const writtenAt = pending.get(rule.id);
          if (writtenAt !== undefined && rule.endpoints.length === 1) {
            latencies.push(now - writtenAt);
            pending.delete(rule.id);
          }
        }
        if (latencies.length === BURST) settled();
        return result;
      },
      cleanup: () => nft.cleanup(),
    };
    proxier = new Proxier({
      backend: observed,
      node: { name: 'bench-node', ips: [NODE_IP] },
      services: new Informer(client, services),
      endpointSlices: new Informer(client, endpointSlices),
      minSyncPeriodMs: MIN_SYNC_PERIOD_MS,
      syncPeriodMs: 30_000,
    });
    await proxier.start();
    await proxier.firstSyncAttempted;
    const deadline = Date.now() + 60_000;
    while ((proxier.table?.rules.length ?? 0) < BURST || proxier.table?.rules.some((r) => r.endpoints.length !== 2)) {
      if (Date.now() > deadline) throw new Error('the proxier never saw all Services with their endpoints');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const syncsBefore = syncs;

    const burstStarted = performance.now();
    await inParallel(BURST, 50, async (i) => {
      const writtenAt = Date.now();
      pending.set(`default/svc-${i}:http/TCP`, writtenAt);
      const current = await client.get(endpointSlices, `svc-${i}-bench`, { namespace: 'default' });
      const next = slice(i, 1, new Date(writtenAt).toISOString());
      next.metadata.resourceVersion = current.metadata.resourceVersion;
      await client.update(endpointSlices, next, { namespace: 'default' });
    });
    const burstMs = performance.now() - burstStarted;
    const timeout = setTimeout(() => settled(), 60_000);
    await allLive;
    clearTimeout(timeout);

    const stats = summarize(latencies);
    report(`burst of ${BURST.toLocaleString('en')} EndpointSlice updates`, `${fmt(burstMs, 0)} ms`, `over ${BURST.toLocaleString('en')} Services; ${syncs - syncsBefore} sync(s) to program them (min-sync-period ${MIN_SYNC_PERIOD_MS} ms)`);
    report('network programming latency p50 (write → nft done)', `${fmt(stats.p50, 0)} ms`);
    report('network programming latency p99', `${fmt(stats.p99, 0)} ms`, `target < ${1000 + MIN_SYNC_PERIOD_MS} ms (1 s + sync period)`);
    if (stats.count < BURST) report('changes never seen live within 60 s', `${BURST - stats.count}`);
  } finally {
    await proxier?.stop().catch(() => undefined);
    await client.close();
    await ns.delete();
    await server.stop();
  }
}

export async function runAgentBench(): Promise<void> {
  process.stdout.write('\n== agent: forwarding rules (nftables, iptables) ==\n');
  const [one, five] = loadavg();
  report('load average (1 min, 5 min) while measuring', `${fmt(one!, 1)}, ${fmt(five!, 1)}`, 'wall times stretch on a busy machine');
  process.stdout.write(`  (svc = Services with ${ENDPOINTS_PER_SERVICE} endpoints each, every fourth also a NodePort)\n`);
  if (process.getuid?.() !== 0) {
    report('nftables/iptables apply and programming latency', 'skipped', 'needs root (network namespaces); run `sudo npm run bench -- agent`');
    for (const count of [1000, 10_000]) {
      const table = syntheticTable(count);
      const started = performance.now();
      renderNftables(table);
      report(`nft ${count.toLocaleString('en')} svc: render only (pure)`, `${fmt(performance.now() - started, 0)} ms`);
    }
    return;
  }
  for (const tool of ['ip', 'nft']) {
    if (!['/usr/sbin', '/sbin', '/usr/bin'].some((dir) => existsSync(`${dir}/${tool}`))) {
      report('nftables apply and programming latency', 'skipped', `${tool} is not installed`);
      return;
    }
  }
  await nftablesAtScale(1000);
  await nftablesAtScale(10_000);
  if (existsSync('/usr/sbin/iptables-restore') || existsSync('/sbin/iptables-restore')) await iptablesReference(1000);
  await programmingLatency();
}
