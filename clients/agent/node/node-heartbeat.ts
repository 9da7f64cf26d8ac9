// The two heartbeat loops: renew the node Lease every renew interval, and
// check the Node status every status period (writing it when it changed or
// the report period passed). A failed beat is logged and the loop goes on:
// missing a few is exactly what the node-lifecycle controller's grace period
// is for.

import { silentLogger, type Logger } from '../../client/logger.js';
import type { NodeLease } from './node-lease.js';
import type { NodeRegistration } from './node-registration.js';

export interface NodeHeartbeatOptions {
  lease: NodeLease;
  registration: NodeRegistration;
  leaseRenewIntervalMs: number;
  /** How often the Node status is compared with ours (kubelet --node-status-update-frequency, 10 s). */
  statusUpdatePeriodMs: number;
  /** A status write at least this often even when nothing changed (kubelet: 5 min). */
  statusReportPeriodMs: number;
  logger?: Logger;
}

export class NodeHeartbeat {
  private readonly logger: Logger;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private lastReport = Date.now();
  private stopped = false;

  constructor(private readonly options: NodeHeartbeatOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Renews the Lease once now (so the node counts as alive at once), then keeps both loops going. */
  async start(): Promise<void> {
    await this.options.lease.renew();
    this.lastReport = Date.now();
    this.loop(this.options.leaseRenewIntervalMs, () => this.renewLease());
    this.loop(this.options.statusUpdatePeriodMs, () => this.updateStatus());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.running]);
  }

  private loop(periodMs: number, beat: () => Promise<void>): void {
    const next = (): void => {
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const run = beat().finally(() => {
          this.running.delete(run);
          next();
        });
        this.running.add(run);
      }, periodMs);
      this.timers.add(timer);
    };
    next();
  }

  private async renewLease(): Promise<void> {
    try {
      await this.options.lease.renew();
    } catch (error) {
      this.logger.warn({ err: error }, 'failed to renew node lease; will retry');
    }
  }

  private async updateStatus(): Promise<void> {
    const force = Date.now() - this.lastReport >= this.options.statusReportPeriodMs;
    try {
      const wrote = await this.options.registration.reportStatus(force);
      if (wrote) {
        this.lastReport = Date.now();
        if (!force) this.logger.info({}, 'node status differed from ours; updated it');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'failed to update node status; will retry');
    }
  }
}
