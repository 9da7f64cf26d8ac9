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
  /** Events read from the log per query. */
  batchSize: number;
}

export const DEFAULT_WATCH_HUB_OPTIONS: WatchHubOptions = { pollIntervalMs: 25, batchSize: 2000 };

/** Listeners of one resource: those of every namespace, and those of one namespace. */
interface ResourceListeners {
  all: Set<HubListener>;
  byNamespace: Map<string, Set<HubListener>>;
}

/**
 * Tails the store's event log and fans each event out to every listener of its
 * resource. The log is the only source, so events from this process and from
 * other processes sharing the database arrive in one global revision order.
 *
 * Delivery happens only inside poll(), synchronously, so replay() followed by
 * subscribe() in the same tick leaves no gap and no duplicate.
 */
export class WatchHub {
  private readonly listeners = new Map<string, ResourceListeners>();
  private delivered: number;
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private polling = false;
  private stopped = false;
  private readonly resyncListeners = new Set<() => void>();
  private readonly errorListeners = new Set<(error: unknown) => void>();

  constructor(private readonly store: Store, private readonly options: WatchHubOptions = DEFAULT_WATCH_HUB_OPTIONS) {
    this.delivered = store.currentRevision();
  }

  /** The newest revision every listener has been given. */
  get deliveredRevision(): number {
    return this.delivered;
  }

  /** The store's newest revision, which may be ahead of deliveredRevision. */
  currentRevision(): number {
    return this.store.currentRevision();
  }

  start(): void {
    this.stopped = false;
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * A local write committed: deliver it without waiting for the timer. Every
   * write committed before the callback runs goes out in the same fan-out, so
   * under load each socket takes several events in one write.
   */
  notify(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.poll();
    });
  }

  /**
   * Calls `listener` with every later event of `resource` — of one namespace
   * when given, so a namespaced watcher is not visited for others' events.
   */
  subscribe(resource: string, listener: HubListener, namespace?: string): () => void {
    let entry = this.listeners.get(resource);
    if (!entry) {
      entry = { all: new Set(), byNamespace: new Map() };
      this.listeners.set(resource, entry);
    }
    let set: Set<HubListener>;
    if (namespace === undefined) {
      set = entry.all;
    } else {
      set = entry.byNamespace.get(namespace) ?? new Set();
      entry.byNamespace.set(namespace, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (namespace !== undefined && set.size === 0 && entry.byNamespace.get(namespace) === set) entry.byNamespace.delete(namespace);
    };
  }

  /**
   * Called when the hub fell behind the compacted window and skipped events:
   * every listener must end and let its client resume (or relist on 410).
   */
  onResyncNeeded(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** A listener threw; the others still received the event. */
  onListenerError(listener: (error: unknown) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /**
   * The events of `resource` after `after` that listeners have already been
   * given, in revision order. Throws CompactedError when `after` is older
   * than the retained log.
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
    let n = 0;
    for (const [name, entry] of this.listeners) {
      if (resource !== undefined && name !== resource) continue;
      n += entry.all.size;
      for (const set of entry.byNamespace.values()) n += set.size;
    }
    return n;
  }

  /** Reads and delivers everything committed since the last poll. Synchronous by design. */
  poll(): void {
    if (this.stopped) return;
    if (this.polling) {
      // A listener polled from inside a fan-out: finishing this event first keeps every listener's order.
      this.notify();
      return;
    }
    this.polling = true;
    try {
      this.drain();
    } finally {
      this.polling = false;
    }
  }

  private drain(): void {
    for (;;) {
      let events;
      try {
        events = this.store.eventsAfter(this.delivered, this.options.batchSize);
      } catch (error) {
        if (!(error instanceof CompactedError)) throw error;
        // Compaction (here or in another process) overtook us: jump to now and tell listeners.
        this.delivered = this.store.currentRevision();
        for (const listener of [...this.resyncListeners]) this.guard(listener);
        return;
      }
      for (const raw of events) {
        this.delivered = raw.revision;
        const entry = this.listeners.get(raw.resource);
        if (!entry) continue;
        const scoped = entry.byNamespace.size > 0 ? entry.byNamespace.get(raw.namespace) : undefined;
        if (entry.all.size === 0 && (scoped === undefined || scoped.size === 0)) continue;
        const event = new HubEvent(raw);
        for (const listener of entry.all) this.deliver(listener, event);
        if (scoped) for (const listener of scoped) this.deliver(listener, event);
      }
      if (events.length < this.options.batchSize) return;
    }
  }

  private deliver(listener: HubListener, event: HubEvent): void {
    try {
      listener(event);
    } catch (error) {
      this.reportError(error);
    }
  }

  private guard(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.reportError(error);
    }
  }

  private reportError(error: unknown): void {
    // One faulty listener must not cost the others this event: the revision is already delivered.
    if (this.errorListeners.size === 0) {
      process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'WatchHubListenerError');
      return;
    }
    for (const listener of this.errorListeners) listener(error);
  }
}
