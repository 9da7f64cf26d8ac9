// The kubelet's container restart back-off (pkg/kubelet/kuberuntime, with
// flowcontrol.Backoff): the first restart is immediate, each further one waits
// twice as long as the last, from `initialMs` (10 s) up to `maxMs` (5 min). A
// container that ran for `resetAfterMs` (10 min) before it ended starts over
// at an immediate restart.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export const KUBELET_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

export class RestartBackoff {
  /** The wait before the next restart; undefined until the first restart. */
  private nextMs: number | undefined;

  constructor(private readonly policy: BackoffPolicy) {}

  /** How long to wait before restarting a container that ran `ranForMs` and ended; advances the back-off. */
  delayAfterExit(ranForMs: number): number {
    if (ranForMs >= this.policy.resetAfterMs) this.nextMs = undefined;
    if (this.nextMs === undefined) {
      this.nextMs = this.policy.initialMs;
      return 0;
    }
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.policy.maxMs);
    return delay;
  }

  /** Restores the position after an agent restart: `restarts` restarts already happened. */
  static resumed(policy: BackoffPolicy, restarts: number): RestartBackoff {
    const backoff = new RestartBackoff(policy);
    if (restarts > 0) backoff.nextMs = Math.min(policy.initialMs * 2 ** (restarts - 1), policy.maxMs);
    return backoff;
  }
}

/** "10s", "2m40s", "5m0s" — how Go prints a duration in the kubelet's CrashLoopBackOff message. */
export function formatGoDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds % 60}s`;
}
