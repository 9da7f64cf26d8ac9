import type { Store } from '../../storage/store.js';
import { CompactedError } from '../../storage/store.js';
import { HubEvent } from './hub-event.js';

export type HubListener = (event: HubEvent) => void;

export interface WatchHubOptions {
  /**
   * How often the hub reads the event log for writes made by other server
   * processes on the same file. Local writes are picked up at once through
   * notify(); this bounds cross-process delay.
   */
  pollIntervalMs: number;
  /** Events read from the log per poll. */
  batchSize: number;
}

export const DEFAULT_WATCH_HUB_OPTIONS: WatchHubOptions = { pollIntervalMs: 25, batchSize: 2000 };

/**
 * Tails the store's event log and fans each event out to every listener of its
 * resource. The log is the only source, so events from this process and from
 * other processes sharing the database arrive in one global revision order.
 */
export class WatchHub {
  private readonly listeners = new Map<string, Set<HubListener>>();
  private delivered: number;
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private stopped = false;
  private readonly resyncListeners = new Set<() => void>();

  constructor(private readonly store: Store, private readonly options: WatchHubOptions = DEFAULT_WATCH_HUB_OPTIONS) {
    this.delivered = store.currentRevision();
  }

  /** The newest revision every listener has been given. */
  get deliveredRevision(): number {
    return this.delivered;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.poll(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A local write committed: deliver it without waiting for the next tick. */
  notify(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.poll();
    });
  }

  subscribe(resource: string, listener: HubListener): () => void {
    let set = this.listeners.get(resource);
    if (!set) {
      set = new Set();
      this.listeners.set(resource, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Called when the hub fell behind the compacted window and listeners must relist. */
  onResyncNeeded(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /**
   * The events of `resource` after `after` that listeners have already been
   * given. Replay followed by subscribe() in the same tick leaves no gap and no
   * duplicate, because delivery only happens in poll(), synchronously.
   * Throws CompactedError when `after` is older than the retained log.
   */
  replay(resource: string, after: number): HubEvent[] {
    const events: HubEvent[] = [];
    let cursor = after;
    while (cursor < this.delivered) {
      const batch = this.store.eventsAfter(cursor, this.options.batchSize, resource);
      for (const raw of batch) {
        if (raw.revision > this.delivered) return events;
        events.push(new HubEvent(raw));
      }
      if (batch.length < this.options.batchSize) break;
      cursor = batch[batch.length - 1]!.revision;
    }
    return events;
  }

  listenerCount(resource?: string): number {
    if (resource) return this.listeners.get(resource)?.size ?? 0;
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Reads and delivers everything committed since the last poll. Synchronous by design. */
  poll(): void {
    if (this.stopped) return;
    for (;;) {
      let events;
      try {
        events = this.store.eventsAfter(this.delivered, this.options.batchSize);
      } catch (error) {
        if (!(error instanceof CompactedError)) throw error;
        // Compaction overtook us (a very slow poll): jump to now and tell listeners.
        this.delivered = this.store.currentRevision();
        for (const listener of this.resyncListeners) listener();
        return;
      }
      for (const raw of events) {
        this.delivered = raw.revision;
        const set = this.listeners.get(raw.resource);
        if (!set || set.size === 0) continue;
        const event = new HubEvent(raw);
        for (const listener of set) listener(event);
      }
      if (events.length < this.options.batchSize) return;
    }
  }
}
