export interface CoalescingQueueOptions {
  /** Longest stretch of work before yielding to the event loop, in ms. */
  budgetMs?: number;
  /** First retry delay after a failure; doubles per failure up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  onError?: (key: string, error: unknown) => void;
}

/**
 * Processes one key. A returned promise keeps the key in flight until it
 * settles (a write waiting for its group commit); adds of that key meanwhile
 * are held, never run concurrently.
 */
export type KeyProcessor = (key: string, triggerTimeMs: number | undefined) => void | Promise<void>;

/**
 * A work queue of keys (client-go's workqueue, single worker): a key added
 * many times before it is processed is processed once, with the earliest of
 * its trigger times, so a burst of pod changes behind one Service costs one
 * recomputation. Work runs on setImmediate, after the hub has delivered every
 * event of the current poll, and yields after `budgetMs` so a long backlog
 * (every Service at start-up) does not stall HTTP. A failing key is retried
 * with exponential backoff, keeping its trigger time.
 */
export class CoalescingQueue {
  private readonly pending = new Map<string, number | undefined>();
  private readonly inFlight = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private scheduled: NodeJS.Immediate | undefined;
  private stopped = false;
  private readonly budgetMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly process: KeyProcessor, private readonly options: CoalescingQueueOptions = {}) {
    this.budgetMs = options.budgetMs ?? 20;
    this.retryDelayMs = options.retryDelayMs ?? 10;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  }

  /** Keys waiting or in flight. */
  get length(): number {
    return new Set([...this.pending.keys(), ...this.inFlight]).size;
  }

  add(key: string, triggerTimeMs?: number): void {
    if (this.stopped) return;
    const existing = this.pending.get(key);
    if (!this.pending.has(key)) this.pending.set(key, triggerTimeMs);
    else if (triggerTimeMs !== undefined && (existing === undefined || triggerTimeMs < existing)) this.pending.set(key, triggerTimeMs);
    if (!this.inFlight.has(key)) this.schedule();
  }

  /** Adds `key` again after `delayMs`, keeping its trigger time. */
  addAfter(key: string, triggerTimeMs: number | undefined, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.add(key, triggerTimeMs);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.run();
    });
  }

  private run(): void {
    const deadline = performance.now() + this.budgetMs;
    for (const [key, trigger] of this.pending) {
      if (this.stopped) return;
      if (this.inFlight.has(key)) continue;
      this.pending.delete(key);
      let result: void | Promise<void>;
      try {
        result = this.process(key, trigger);
      } catch (error) {
        this.failed(key, trigger, error);
        result = undefined;
      }
      if (result instanceof Promise) {
        this.inFlight.add(key);
        result.then(() => {
          this.failures.delete(key);
          this.settled(key);
        }, (error: unknown) => {
          this.settled(key);
          this.failed(key, trigger, error);
        });
      } else {
        this.failures.delete(key);
      }
      if (performance.now() >= deadline) break;
    }
    for (const key of this.pending.keys()) {
      if (!this.inFlight.has(key)) {
        this.schedule();
        return;
      }
    }
  }

  private settled(key: string): void {
    this.inFlight.delete(key);
    if (this.pending.has(key)) this.schedule();
  }

  private failed(key: string, trigger: number | undefined, error: unknown): void {
    // A write refused because the server is shutting down is nobody's concern.
    if (this.stopped) return;
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    this.options.onError?.(key, error);
    this.addAfter(key, trigger, Math.min(this.retryDelayMs * 2 ** (failures - 1), this.maxRetryDelayMs));
  }
}
