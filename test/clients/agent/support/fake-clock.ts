import type { Clock, TimerHandle } from '../../../../clients/agent/timer-clock.js';

interface PendingTimer {
  due: number;
  seq: number;
  callback: () => void;
}

/** A clock that moves only when the test says so; timers fire in due order. */
export class FakeClock implements Clock {
  private current = 0;
  private seq = 0;
  private readonly timers = new Set<PendingTimer>();

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due and letting the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = [...this.timers].filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (next === undefined) break;
      this.timers.delete(next);
      this.current = next.due;
      next.callback();
      await settle();
    }
    this.current = target;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}

/** Lets queued promise callbacks and immediates run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
