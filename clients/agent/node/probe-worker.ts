// One readiness probe of one container, run every periodSeconds after
// initialDelaySeconds, with the kubelet's threshold rule (pkg/kubelet/prober/
// worker.go): a result changes readiness only after successThreshold
// successes, or failureThreshold failures, in a row. Readiness starts false:
// a container with a probe is not ready until it has passed.

import type { Probe } from '../../client/types.js';
import type { ProbeOutcome } from './readiness-probe.js';
import { systemClock, type Clock, type TimerHandle } from '../timer-clock.js';

export interface ProbeWorkerOptions {
  probe: Probe;
  /** Runs one attempt; resolves undefined when it cannot run yet (no Pod IP). */
  attempt: () => Promise<ProbeOutcome | undefined>;
  /** Called when readiness flips. */
  onChange: (ready: boolean, outcome: ProbeOutcome) => void;
  /**
   * Called each time a run of results reaches its threshold, whatever the
   * readiness was: liveness and startup probes act on it (a failing run
   * restarts the container even if it never passed).
   */
  onThreshold?: (success: boolean, outcome: ProbeOutcome) => void;
  /** How long the container has been running already (ms), counted against initialDelaySeconds. */
  runningForMs?: number;
  clock?: Clock;
}

export class ProbeWorker {
  private readyNow = false;
  private lastSuccess: boolean | undefined;
  private run = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly clock: Clock;

  constructor(private readonly options: ProbeWorkerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  get ready(): boolean {
    return this.readyNow;
  }

  start(): this {
    const initialDelayMs = Math.max(0, (this.options.probe.initialDelaySeconds ?? 0) * 1000 - (this.options.runningForMs ?? 0));
    this.schedule(initialDelayMs);
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private get periodMs(): number {
    return Math.max(1, this.options.probe.periodSeconds ?? 10) * 1000;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const started = this.clock.now();
    const outcome = await this.options.attempt().catch((error: unknown): ProbeOutcome => ({ success: false, message: String(error) }));
    if (this.stopped) return;
    if (outcome !== undefined) this.record(outcome);
    // Period measured start to start, like the kubelet's ticker; a slow probe never overlaps the next.
    this.schedule(Math.max(0, started + this.periodMs - this.clock.now()));
  }

  private record(outcome: ProbeOutcome): void {
    if (this.lastSuccess === outcome.success) this.run += 1;
    else {
      this.lastSuccess = outcome.success;
      this.run = 1;
    }
    const threshold = outcome.success ? (this.options.probe.successThreshold ?? 1) : (this.options.probe.failureThreshold ?? 3);
    if (this.run < Math.max(1, threshold)) return;
    if (this.run === Math.max(1, threshold)) this.options.onThreshold?.(outcome.success, outcome);
    if (this.readyNow === outcome.success) return;
    this.readyNow = outcome.success;
    this.options.onChange(this.readyNow, outcome);
  }
}
