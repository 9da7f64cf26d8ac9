// The sync loop: watched Services and EndpointSlices → one ForwardingTable →
// backend.apply. Changes only mark the state dirty; the BoundedFrequencyRunner
// decides when a sync happens, so bursts coalesce and a periodic full resync
// repairs whatever was changed behind the agent's back.

import type { EndpointSlice, Service } from '../../client/types.js';
import type { ForwardingBackend } from './backend.js';
import { BoundedFrequencyRunner } from './bounded-frequency-runner.js';
import { buildForwardingTable, SERVICE_NAME_LABEL, type ForwardingNode } from './forwarding-table-builder.js';
import type { ForwardingTable } from './forwarding-table.js';
import type { ObjectSource } from '../object-source.js';
import { silentLogger, type Logger } from '../../client/logger.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import { systemClock, type Clock } from '../timer-clock.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

export interface ProxierOptions {
  backend: ForwardingBackend;
  node: ForwardingNode;
  services: ObjectSource<Service>;
  endpointSlices: ObjectSource<EndpointSlice>;
  /** At most one sync per this period; a change schedules one (kube-proxy --min-sync-period, default 1 s). */
  minSyncPeriodMs: number;
  /** A full sync at least this often (kube-proxy --sync-period, default 30 s). */
  syncPeriodMs: number;
  metrics?: ProxyMetrics;
  logger?: Logger;
  clock?: Clock;
  /** Unix milliseconds, to compare with trigger-time annotations. */
  wallClock?: () => number;
}

export interface ProxierHealth {
  healthy: boolean;
  /** Unix ms of the last successful sync. */
  lastUpdated: number | undefined;
  currentTime: number;
}

export class Proxier {
  private readonly runner: BoundedFrequencyRunner;
  private readonly clock: Clock;
  private readonly wallClock: () => number;
  private readonly logger: Logger;
  private readonly startedAt: number;
  /** Per Service (`ns/name`), the newest change trigger time not yet programmed. */
  private pendingTriggers = new Map<string, number>();
  private lastSuccessAt: number | undefined;
  private lastSuccessWall: number | undefined;
  private lastTable: ForwardingTable | undefined;
  private syncs = 0;
  private started = false;
  private markFirstAttempt!: () => void;
  /** Settles after the first sync attempt, successful or not (a failure is logged and retried). */
  readonly firstSyncAttempted = new Promise<void>((resolve) => (this.markFirstAttempt = resolve));

  constructor(private readonly options: ProxierOptions) {
    this.clock = options.clock ?? systemClock;
    this.wallClock = options.wallClock ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.startedAt = this.wallClock();
    this.runner = new BoundedFrequencyRunner(() => this.sync().finally(() => this.markFirstAttempt()), {
      minIntervalMs: options.minSyncPeriodMs,
      maxIntervalMs: options.syncPeriodMs,
      clock: this.clock,
      onError: (error) => this.logger.error({ err: error, backend: options.backend.name }, 'sync failed; will retry'),
    });
    const changed = (): void => this.runner.request();
    options.services.on('add', changed).on('update', changed).on('delete', changed);
    options.endpointSlices
      .on('add', (slice) => this.sliceChanged(undefined, slice))
      .on('update', (previous, slice) => this.sliceChanged(previous, slice))
      .on('delete', changed);
  }

  /** Starts both informers and, once both have synced (never program a half-known world), the sync loop. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.options.services.start();
    this.options.endpointSlices.start();
    await Promise.all([this.options.services.waitForSync(), this.options.endpointSlices.waitForSync()]);
    this.runner.start();
  }

  /** Stops syncing and the informers; the rules stay (see `cleanup`). */
  async stop(): Promise<void> {
    await this.runner.stop();
    await Promise.all([this.options.services.stop(), this.options.endpointSlices.stop()]);
  }

  /** Removes what the backend programmed; call after stop(). */
  async cleanup(): Promise<void> {
    await this.options.backend.cleanup();
    this.options.metrics?.rules.set(0);
  }

  /** kube-proxy's /healthz: healthy while syncs keep succeeding; two sync periods without one is not. */
  health(): ProxierHealth {
    const now = this.clock.now();
    const healthy = this.lastSuccessAt !== undefined && now - this.lastSuccessAt <= 2 * this.options.syncPeriodMs;
    return { healthy, lastUpdated: this.lastSuccessWall, currentTime: this.wallClock() };
  }

  /** The table of the last successful sync. */
  get table(): ForwardingTable | undefined {
    return this.lastTable;
  }

  /** Successful syncs so far. */
  get syncCount(): number {
    return this.syncs;
  }

  private sliceChanged(previous: EndpointSlice | undefined, slice: EndpointSlice): void {
    const trigger = slice.metadata.annotations?.[LAST_CHANGE_TRIGGER_TIME];
    if (trigger !== undefined && trigger !== previous?.metadata.annotations?.[LAST_CHANGE_TRIGGER_TIME]) {
      const at = Date.parse(trigger);
      // Changes from before this agent started were programmed by someone
      // else (or never); counting them would report our start-up as latency.
      if (Number.isFinite(at) && at >= this.startedAt - 1000) {
        const key = `${slice.metadata.namespace ?? 'default'}/${slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
        this.pendingTriggers.set(key, Math.max(at, this.pendingTriggers.get(key) ?? 0));
      }
    }
    this.runner.request();
  }

  private async sync(): Promise<void> {
    const triggers = this.pendingTriggers;
    this.pendingTriggers = new Map();
    const started = this.clock.now();
    try {
      const table = buildForwardingTable(this.options.services.list(), this.options.endpointSlices.list(), this.options.node);
      const { ruleCount } = await this.options.backend.apply(table);
      const finished = this.clock.now();
      const live = this.wallClock();
      this.lastTable = table;
      this.lastSuccessAt = finished;
      this.lastSuccessWall = live;
      this.syncs += 1;
      const metrics = this.options.metrics;
      if (metrics !== undefined) {
        metrics.syncDuration.observe((finished - started) / 1000);
        metrics.rules.set(ruleCount);
        metrics.lastSyncTimestamp.set(live / 1000);
        for (const at of triggers.values()) metrics.networkProgrammingDuration.observe(Math.max(0, live - at) / 1000);
      }
      this.logger.debug({ rules: table.rules.length, ruleCount, ms: Math.round(finished - started) }, 'synced forwarding rules');
    } catch (error) {
      for (const [key, at] of triggers) this.pendingTriggers.set(key, Math.max(at, this.pendingTriggers.get(key) ?? 0));
      this.options.metrics?.syncErrors.inc();
      throw error;
    }
  }
}
