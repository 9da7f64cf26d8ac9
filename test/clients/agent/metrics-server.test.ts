import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MetricsServer } from '../../../clients/agent/metrics-server.js';
import type { ProxierHealth } from '../../../clients/agent/proxy/proxier.js';
import { ProxyMetrics } from '../../../clients/agent/proxy/proxy-metrics.js';

describe('MetricsServer', () => {
  let server: MetricsServer;
  const metrics = new ProxyMetrics();
  let health: ProxierHealth = { healthy: true, lastUpdated: Date.parse('2030-01-01T00:00:00Z'), currentTime: Date.parse('2030-01-01T00:00:05Z') };

  before(async () => {
    server = await MetricsServer.listen({ address: { host: '127.0.0.1', port: 0 }, registries: [metrics.registry], health: () => health });
  });

  after(() => server.close());

  it('answers /healthz with 200 and the last update time while syncs succeed', async () => {
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { lastUpdated: '2030-01-01T00:00:00.000Z', currentTime: '2030-01-01T00:00:05.000Z' });
  });

  it('answers /healthz with 503 when syncs stopped succeeding', async () => {
    health = { healthy: false, lastUpdated: undefined, currentTime: Date.parse('2030-01-01T00:00:05Z') };
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), { lastUpdated: null, currentTime: '2030-01-01T00:00:05.000Z' });
  });

  it('serves the proxy metrics in the Prometheus text format', async () => {
    metrics.rules.set(42);
    metrics.syncDuration.observe(0.012);
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /^# TYPE skiff_proxy_sync_duration_seconds histogram$/m);
    assert.match(text, /^skiff_proxy_rules 42$/m);
    assert.match(text, /^# TYPE skiff_network_programming_duration_seconds histogram$/m);
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    assert.equal((await fetch(`${server.url}/nope`)).status, 404);
    assert.equal((await fetch(`${server.url}/metrics`, { method: 'POST' })).status, 405);
  });
});
