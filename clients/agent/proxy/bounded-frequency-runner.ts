// kube-proxy's BoundedFrequencyRunner (pkg/util/async): a change asks for a
// sync, but syncs start at most once per `minIntervalMs`, so a burst of a
// thousand endpoint changes costs one or two syncs, not a thousand; and a
// sync runs at least every `maxIntervalMs` even when nothing asked, to repair
// whatever drifted behind our back.

import { systemClock, type Clock, type TimerHandle } from '../timer-clock.js';

export interface BoundedFrequencyRunnerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Wait after a failed run before the next one (default: max(minIntervalMs, 1 s)). */
  retryAfterMs?: number;
  clock?: Clock;
  /** Told about a run that threw; the runner itself keeps going. */
  onError?: (error: unknown) => void;
}

export class BoundedFrequencyRunner {
  private readonly clock: Clock;
  private readonly retryAfterMs: number;
  private lastStart: number | undefined;
  private requested = false;
  private retryAt: number | undefined;
  private running: Promise<void> | undefined;
  private timer: { handle: TimerHandle; due: number } | undefined;
  private stopped = false;
  private started = false;

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly options: BoundedFrequencyRunnerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.retryAfterMs = options.retryAfterMs ?? Math.max(options.minIntervalMs, 1000);
  }

  /** Runs once at once, then as requested and periodically. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.requested = true;
    this.schedule();
  }

  /** Something changed: run as soon as the minimum interval allows. */
  request(): void {
    if (this.stopped) return;
    this.requested = true;
    if (this.started) this.schedule();
  }

  /** No more runs; waits for one in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.handle.cancel();
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped || this.running !== undefined) return;
    const due = this.nextDue();
    if (this.timer !== undefined) {
      if (this.timer.due <= due) return;
      this.timer.handle.cancel();
    }
    const handle = this.clock.setTimer(() => this.fire(), due - this.clock.now());
    this.timer = { handle, due };
  }

  private nextDue(): number {
    if (this.lastStart === undefined) return this.clock.now();
    let due = this.lastStart + (this.requested ? this.options.minIntervalMs : this.options.maxIntervalMs);
    if (this.retryAt !== undefined) due = Math.min(Math.max(due, this.retryAt), this.lastStart + this.options.maxIntervalMs);
    return due;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.requested = false;
    this.retryAt = undefined;
    this.lastStart = this.clock.now();
    this.running = this.runOnce().finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  private async runOnce(): Promise<void> {
    try {
      await this.fn();
    } catch (error) {
      this.requested = true;
      this.retryAt = this.clock.now() + this.retryAfterMs;
      this.options.onError?.(error);
    }
  }
}
