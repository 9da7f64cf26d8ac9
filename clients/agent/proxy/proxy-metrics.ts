// The proxier's Prometheus metrics, on a registry of their own so several
// agents (or tests) in one process never share or collide on series. Names
// follow kube-proxy's (kubeproxy_sync_proxy_rules_duration_seconds,
// kubeproxy_network_programming_duration_seconds) under skiff's prefix.

import { Counter, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly syncDuration: Histogram;
  readonly rules: Gauge;
  readonly networkProgrammingDuration: Histogram;
  readonly lastSyncTimestamp: Gauge;
  readonly syncErrors: Counter;

  constructor(labels: Record<string, string> = {}) {
    this.registry.setDefaultLabels(labels);
    const registers = [this.registry];
    this.syncDuration = new Histogram({
      name: 'skiff_proxy_sync_duration_seconds',
      help: 'Time to build the forwarding table and apply it with the backend.',
      // kube-proxy's buckets: exponential from 1 ms.
      buckets: exponentialBuckets(0.001, 2, 15),
      registers,
    });
    this.rules = new Gauge({
      name: 'skiff_proxy_rules',
      help: 'Rules (or listeners) the backend programmed in the last successful sync.',
      registers,
    });
    this.networkProgrammingDuration = new Histogram({
      name: 'skiff_network_programming_duration_seconds',
      help: 'Time from an endpoint change (endpoints.kubernetes.io/last-change-trigger-time) to the rules for it being live.',
      buckets: [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 45, 60, 120, 180, 240, 300,
      ],
      registers,
    });
    this.lastSyncTimestamp = new Gauge({
      name: 'skiff_proxy_last_sync_timestamp_seconds',
      help: 'Unix time of the last successful sync.',
      registers,
    });
    this.syncErrors = new Counter({
      name: 'skiff_proxy_sync_errors_total',
      help: 'Syncs whose apply failed (they are retried).',
      registers,
    });
  }
}

