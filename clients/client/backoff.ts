export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of each delay added at random, so many clients of a restarted server do not return in step. */
  jitter?: number;
  random?: () => number;
}

/** Exponential backoff: initial, initial×factor, … capped at max; `reset()` after a success. */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private current: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 5_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.1;
    this.random = options.random ?? Math.random;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs) || !(this.factor >= 1)) {
      throw new RangeError(`invalid backoff: initial ${this.initialMs} ms, max ${this.maxMs} ms, factor ${this.factor}`);
    }
    this.current = this.initialMs;
  }

  /** The delay to wait now; the following call returns a longer one. */
  next(): number {
    const base = this.current;
    this.current = Math.min(this.maxMs, this.current * this.factor);
    return Math.round(base * (1 + this.jitter * this.random()));
  }

  reset(): void {
    this.current = this.initialMs;
  }
}
