import type { Lease } from '../../schemas/lease.js';

// client-go's leaderelection, over a coordination.k8s.io/v1 Lease. A
// candidate acquires the Lease when it does not exist, is free, or has not
// changed for leaseDuration by the candidate's own clock (it never trusts
// another server's renewTime, so clock skew cannot steal a lease); the holder
// renews it every retryPeriod and gives up — stopping what it leads — when
// it has not renewed for renewDeadline. renewDeadline < leaseDuration is what
// makes the old holder stop before any other candidate may start.

/** The Lease the candidates compete for; every write is guarded by resourceVersion. */
export interface LeaseLock {
  /** undefined when the Lease does not exist. */
  get(): Promise<Lease | undefined>;
  /** Fails when the Lease was created meanwhile. */
  create(lease: Lease): Promise<Lease>;
  /** Fails when the Lease changed since `lease.metadata.resourceVersion`. */
  update(lease: Lease): Promise<Lease>;
  /** Where the Lease lives, for logs. */
  describe(): string;
}

export interface LeaderElectionTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** kube-controller-manager's defaults: --leader-elect-lease-duration 15s, --leader-elect-renew-deadline 10s, --leader-elect-retry-period 2s. */
export const DEFAULT_LEADER_ELECTION_TIMINGS: LeaderElectionTimings = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

export interface LeaderCallbacks {
  /** Start what the leader runs; called once per term. */
  onStartedLeading(): Promise<void> | void;
  /** Stop it; awaited before the elector tries to lead again. */
  onStoppedLeading(): Promise<void> | void;
}

export interface ElectionLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface LeaderElectorOptions extends LeaderElectionTimings {
  lock: LeaseLock;
  identity: string;
  callbacks: LeaderCallbacks;
  log: ElectionLog;
  now?: () => number;
}

/** RFC 3339 with microseconds, the wire form of a MicroTime. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function validateLeaderElectionTimings(timings: LeaderElectionTimings): string | undefined {
  if (timings.retryPeriodMs <= 0) return 'the retry period must be greater than zero';
  if (timings.renewDeadlineMs <= timings.retryPeriodMs) return 'the renew deadline must be greater than the retry period';
  if (timings.leaseDurationMs <= timings.renewDeadlineMs) return 'the lease duration must be greater than the renew deadline';
  return undefined;
}

export class LeaderElector {
  private readonly now: () => number;
  /** The last Lease this candidate saw, and when (by its own clock) it last saw it change. */
  private observed: Lease | undefined;
  private observedAtMs = 0;
  private leading = false;
  private lastRenewMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: LeaderElectorOptions) {
    const invalid = validateLeaderElectionTimings(options);
    if (invalid) throw new Error(`leader election: ${invalid}`);
    this.now = options.now ?? Date.now;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns; resolves after the first attempt, so a lone server leads before it serves. */
  async start(): Promise<void> {
    this.running = this.tick().finally(() => {
      this.running = undefined;
      this.schedule(this.options.retryPeriodMs);
    });
    await this.running;
  }

  /** Stops campaigning; a leader stops what it leads and releases the Lease so another server takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (this.leading) await this.stepDown('shutting down');
    await this.release();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.options.retryPeriodMs);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const renewed = await this.tryAcquireOrRenew();
    if (this.stopped) return;
    const now = this.now();
    if (renewed) {
      this.lastRenewMs = now;
      if (!this.leading) {
        this.leading = true;
        this.options.log.info({ lease: this.options.lock.describe(), identity: this.options.identity }, 'became leader');
        try {
          await this.options.callbacks.onStartedLeading();
        } catch (error) {
          this.options.log.warn({ err: error }, 'starting the leader\'s work failed; stepping down');
          await this.stepDown('start failed');
        }
      }
    } else if (this.leading && now - this.lastRenewMs >= this.options.renewDeadlineMs) {
      await this.stepDown('failed to renew the lease within the renew deadline');
    }
  }

  private async stepDown(reason: string): Promise<void> {
    this.leading = false;
    this.options.log.warn({ lease: this.options.lock.describe(), identity: this.options.identity, reason }, 'stopped leading');
    await this.options.callbacks.onStoppedLeading();
  }

  /** One attempt; true when this candidate holds the Lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { lock, identity, leaseDurationMs } = this.options;
    const now = this.now();
    const spec = { holderIdentity: identity, leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000), renewTime: microTime(now) };
    let current: Lease | undefined;
    try {
      current = await lock.get();
    } catch (error) {
      this.options.log.warn({ err: error }, 'reading the leader lease failed');
      return false;
    }
    if (!current) {
      try {
        this.remember(await lock.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {}, spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 } }));
        return true;
      } catch {
        return false;
      }
    }
    if (current.metadata.resourceVersion !== this.observed?.metadata.resourceVersion) {
      this.observed = current;
      this.observedAtMs = now;
    }
    const holder = current.spec?.holderIdentity ?? '';
    const mine = holder === identity;
    const expired = now - this.observedAtMs >= (current.spec?.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== '' && !mine && !expired) return false;
    const next: Lease = {
      ...current,
      spec: {
        ...current.spec,
        ...spec,
        acquireTime: mine ? current.spec?.acquireTime : microTime(now),
        leaseTransitions: (current.spec?.leaseTransitions ?? 0) + (mine ? 0 : 1),
      },
    };
    try {
      this.remember(await lock.update(next));
      return true;
    } catch {
      // Someone else wrote it first; their write is what the next attempt observes.
      return false;
    }
  }

  private remember(lease: Lease): void {
    this.observed = lease;
    this.observedAtMs = this.now();
  }

  /** client-go's ReleaseOnCancel: an empty holder lets the next candidate acquire at once. */
  private async release(): Promise<void> {
    const current = this.observed;
    if (!current || current.spec?.holderIdentity !== this.options.identity) return;
    try {
      await this.options.lock.update({ ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) } });
    } catch (error) {
      this.options.log.warn({ err: error }, 'releasing the leader lease failed; the next leader waits for it to expire');
    }
  }
}
