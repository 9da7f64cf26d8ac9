import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice, Service } from '../../../../clients/client/types.js';
import type { ForwardingBackend } from '../../../../clients/agent/proxy/backend.js';
import type { ForwardingTable } from '../../../../clients/agent/proxy/forwarding-table.js';
import { LAST_CHANGE_TRIGGER_TIME, Proxier } from '../../../../clients/agent/proxy/proxier.js';
import { ProxyMetrics } from '../../../../clients/agent/proxy/proxy-metrics.js';
import { FakeClock, settle } from '../support/fake-clock.js';
import { FakeSource } from '../support/fake-source.js';

class FakeBackend implements ForwardingBackend {
  readonly name = 'userspace' as const;
  readonly applied: ForwardingTable[] = [];
  cleanedUp = 0;
  failNext = 0;

  async apply(table: ForwardingTable): Promise<{ ruleCount: number }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('apply failed');
    }
    this.applied.push(table);
    return { ruleCount: table.rules.length * 2 };
  }

  async cleanup(): Promise<void> {
    this.cleanedUp += 1;
  }
}

function service(name: string, clusterIP = '10.96.0.10'): Service {
  return { metadata: { name, namespace: 'default' }, spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'http', port: 80 }] } };
}

function slice(serviceName: string, ips: string[], triggerTime?: string): EndpointSlice {
  return {
    metadata: {
      name: `${serviceName}-abc`,
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': serviceName },
      ...(triggerTime === undefined ? {} : { annotations: { [LAST_CHANGE_TRIGGER_TIME]: triggerTime } }),
    },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

interface Harness {
  clock: FakeClock;
  backend: FakeBackend;
  services: FakeSource<Service>;
  slices: FakeSource<EndpointSlice>;
  metrics: ProxyMetrics;
  proxier: Proxier;
  wall: { now: number };
}

async function startHarness(minSyncPeriodMs = 1000, syncPeriodMs = 30_000): Promise<Harness> {
  const clock = new FakeClock();
  const backend = new FakeBackend();
  const services = new FakeSource<Service>();
  const slices = new FakeSource<EndpointSlice>();
  const metrics = new ProxyMetrics();
  const wall = { now: Date.parse('2030-01-01T00:00:00Z') };
  const proxier = new Proxier({
    backend,
    node: { name: 'node-a', ips: ['127.0.0.1'] },
    services,
    endpointSlices: slices,
    minSyncPeriodMs,
    syncPeriodMs,
    metrics,
    clock,
    wallClock: () => wall.now + clock.now(),
  });
  services.upsert(service('web'));
  slices.upsert(slice('web', ['10.244.1.1']));
  const started = proxier.start();
  services.sync();
  slices.sync();
  await started;
  await clock.advance(0);
  return { clock, backend, services, slices, metrics, proxier, wall };
}

function endpointIPs(table: ForwardingTable | undefined): string[][] {
  return (table?.rules ?? []).map((r) => r.endpoints.map((e) => e.ip));
}

describe('Proxier', () => {
  it('syncs nothing until both informers have synced, then applies the full table once', async () => {
    const clock = new FakeClock();
    const backend = new FakeBackend();
    const services = new FakeSource<Service>();
    const slices = new FakeSource<EndpointSlice>();
    const proxier = new Proxier({ backend, node: { name: 'n', ips: [] }, services, endpointSlices: slices, minSyncPeriodMs: 1000, syncPeriodMs: 30_000, clock });
    const started = proxier.start();
    services.upsert(service('web'));
    services.sync();
    await clock.advance(5000);
    assert.equal(backend.applied.length, 0);
    assert.equal(services.started && slices.started, true);
    slices.upsert(slice('web', ['10.244.1.1']));
    slices.sync();
    await started;
    await clock.advance(0);
    assert.equal(backend.applied.length, 1);
    assert.deepEqual(endpointIPs(backend.applied[0]), [['10.244.1.1']]);
    await proxier.stop();
  });

  it('coalesces a burst of changes inside the minimum sync period into one sync of the final state', async () => {
    const h = await startHarness();
    assert.equal(h.backend.applied.length, 1);
    for (let i = 2; i <= 101; i++) {
      h.slices.upsert(slice('web', Array.from({ length: i % 7 }, (_, j) => `10.244.1.${j + 1}`)));
      h.services.upsert(service(`svc-${i}`, `10.96.1.${i}`));
    }
    await h.clock.advance(999);
    assert.equal(h.backend.applied.length, 1, 'no sync before the minimum period has passed');
    await h.clock.advance(1);
    assert.equal(h.backend.applied.length, 2);
    const last = h.backend.applied[1]!;
    assert.equal(last.rules.length, 101);
    assert.deepEqual(last.rules.find((r) => r.service === 'web')?.endpoints.map((e) => e.ip), Array.from({ length: 101 % 7 }, (_, j) => `10.244.1.${j + 1}`));
    await h.clock.advance(10_000);
    assert.equal(h.backend.applied.length, 2, 'nothing left to sync after the burst');
    await h.proxier.stop();
  });

  it('spaces syncs by the minimum period measured from the previous sync start', async () => {
    const h = await startHarness(1000);
    await h.clock.advance(5000);
    h.slices.upsert(slice('web', ['10.244.1.2']));
    await h.clock.advance(0);
    assert.equal(h.backend.applied.length, 2, 'a change long after the last sync is applied at once');
    await h.clock.advance(300);
    h.slices.upsert(slice('web', ['10.244.1.3']));
    await h.clock.advance(699);
    assert.equal(h.backend.applied.length, 2);
    await h.clock.advance(1);
    assert.equal(h.backend.applied.length, 3);
    assert.deepEqual(endpointIPs(h.backend.applied[2]), [['10.244.1.3']]);
    await h.proxier.stop();
  });

  it('resyncs in full every sync period without any change', async () => {
    const h = await startHarness(1000, 30_000);
    await h.clock.advance(29_999);
    assert.equal(h.backend.applied.length, 1);
    await h.clock.advance(1);
    assert.equal(h.backend.applied.length, 2);
    await h.clock.advance(30_000);
    assert.equal(h.backend.applied.length, 3);
    await h.proxier.stop();
  });

  it('retries a failed apply and reports health from the last success', async () => {
    const h = await startHarness(1000, 30_000);
    assert.equal(h.proxier.health().healthy, true);
    h.backend.failNext = 100;
    h.slices.upsert(slice('web', ['10.244.1.9']));
    await h.clock.advance(60_001);
    assert.equal(h.backend.applied.length, 1);
    assert.equal(h.proxier.health().healthy, false);
    // One attempt per retry interval (1 s) from the change at 1 s to 60 s.
    assert.match(await h.metrics.registry.metrics(), /^skiff_proxy_sync_errors_total 60$/m);
    h.backend.failNext = 0;
    await h.clock.advance(1000);
    assert.equal(h.backend.applied.length, 2);
    assert.deepEqual(endpointIPs(h.backend.applied[1]), [['10.244.1.9']]);
    assert.equal(h.proxier.health().healthy, true);
    await h.proxier.stop();
  });

  it('reports rule count, sync duration and programming latency from the trigger time', async () => {
    const h = await startHarness(1000);
    const at = h.wall.now + h.clock.now();
    await h.clock.advance(5000);
    h.slices.upsert(slice('web', ['10.244.1.2'], new Date(at + 4750).toISOString()));
    await h.clock.advance(0);
    const text = await h.metrics.registry.metrics();
    assert.match(text, /^skiff_proxy_rules 2$/m);
    assert.match(text, /^skiff_proxy_sync_duration_seconds_count 2$/m);
    assert.match(text, /^skiff_network_programming_duration_seconds_count 1$/m);
    assert.match(text, /^skiff_network_programming_duration_seconds_sum 0\.25$/m);
    await h.proxier.stop();
  });

  it('does not count a trigger time again when a slice update leaves it unchanged', async () => {
    const h = await startHarness(1000);
    const trigger = new Date(h.wall.now + 100).toISOString();
    await h.clock.advance(2000);
    h.slices.upsert(slice('web', ['10.244.1.2'], trigger));
    await h.clock.advance(2000);
    h.slices.upsert(slice('web', ['10.244.1.3'], trigger));
    await h.clock.advance(2000);
    assert.equal(h.backend.applied.length, 3);
    assert.match(await h.metrics.registry.metrics(), /^skiff_network_programming_duration_seconds_count 1$/m);
    await h.proxier.stop();
  });

  it('stops syncing on stop and removes the rules only on cleanup', async () => {
    const h = await startHarness();
    await h.proxier.stop();
    assert.equal(h.services.stopped && h.slices.stopped, true);
    h.slices.upsert(slice('web', ['10.244.1.7']));
    await h.clock.advance(60_000);
    assert.equal(h.backend.applied.length, 1);
    assert.equal(h.backend.cleanedUp, 0);
    await h.proxier.cleanup();
    assert.equal(h.backend.cleanedUp, 1);
    await settle();
  });
});
