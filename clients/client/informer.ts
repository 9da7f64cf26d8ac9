import { setTimeout as delay } from 'node:timers/promises';
import { ApiStatusError, isExpired } from './api-status-error.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { KubeClient } from './client.js';
import { keyFor, objectKey } from './object-key.js';
import type { ResourceDescriptor } from './resources.js';
import { diffSnapshot } from './snapshot-diff.js';
import type { KubeObject, Status } from './types.js';
import { watch } from './watch.js';

export interface InformerOptions {
  /** Omit to inform on a namespaced resource across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of the list; pages are followed to the end. */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Asks the server to end each watch after this long; the informer then re-watches. */
  watchTimeoutSeconds?: number;
}

export interface InformerHandlers<T> {
  add: (object: T) => void;
  update: (previous: T, current: T) => void;
  delete: (object: T) => void;
  /** Failures the informer recovers from by itself (lost connection, list error, a throwing handler). */
  error: (error: unknown) => void;
}

type WatchOutcome = { expired: boolean; delivered: boolean };

// A watch that stayed open this long counts as healthy even if it was quiet,
// so a server that ends idle watches on a timer does not drive the backoff up.
const HEALTHY_WATCH_MS = 5_000;

/**
 * A local, watch-fed copy of one resource: list, then watch from the list's
 * resourceVersion; resume from the last seen resourceVersion when a stream
 * ends or drops; relist and emit the difference when the server says that
 * resourceVersion is gone (410). See README.md for the theory.
 */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: { [E in keyof InformerHandlers<T>]: Set<InformerHandlers<T>[E]> } = {
    add: new Set(),
    update: new Set(),
    delete: new Set(),
    error: new Set(),
  };
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private readonly synced: Promise<void>;
  private resolveSynced!: () => void;
  private rejectSynced!: (error: Error) => void;
  private running: Promise<void> | undefined;
  private syncedOnce = false;
  private lastResourceVersion: string | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly resource: ResourceDescriptor<T>,
    private readonly options: InformerOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff);
    this.synced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    // waitForSync() may never be called; a stop before sync must not surface as an unhandled rejection.
    this.synced.catch(() => undefined);
  }

  on<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): this {
    this.handlers[event].add(handler);
    return this;
  }

  off<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): this {
    this.handlers[event].delete(handler);
    return this;
  }

  /** Starts listing and watching in the background. Calling it again does nothing. */
  start(): this {
    if (this.running === undefined && !this.abort.signal.aborted) this.running = this.run();
    return this;
  }

  /** True once the first list has been loaded into the cache. */
  get hasSynced(): boolean {
    return this.syncedOnce;
  }

  /** Resolves once synced; rejects if the informer is stopped first. */
  waitForSync(): Promise<void> {
    return this.synced;
  }

  /** The resourceVersion the next watch resumes from. */
  get resourceVersion(): string | undefined {
    return this.lastResourceVersion;
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  /** `namespace` is ignored for cluster-scoped resources. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(this.resource.namespaced ? keyFor(namespace, name) : name);
  }

  /** Ends the watch and waits for the loop to finish. Handlers fire no more afterwards. */
  async stop(): Promise<void> {
    if (!this.abort.signal.aborted) {
      this.abort.abort();
      if (!this.syncedOnce) this.rejectSynced(new Error(`informer for ${this.resource.plural} stopped before it synced`));
    }
    await this.running;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        const startedAt = Date.now();
        const outcome = await this.watchOnce();
        if (outcome.expired) needList = true;
        if (outcome.delivered || Date.now() - startedAt >= HEALTHY_WATCH_MS) this.backoff.reset();
      } catch (error) {
        if (signal.aborted) break;
        if (isExpired(error)) needList = true;
        else this.emit('error', error);
      }
      if (signal.aborted) break;
      // Always pause before the next attempt: a server that ends every watch
      // at once must cost a bounded number of requests per second, not a loop.
      await delay(this.backoff.next(), undefined, { signal }).catch(() => undefined);
    }
  }

  private async relist(): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.options;
    const fresh = await this.client.listAll(this.resource, {
      namespace,
      labelSelector,
      fieldSelector,
      limit: this.options.pageSize ?? 500,
      signal: this.abort.signal,
    });
    if (this.abort.signal.aborted) return;
    const diff = diffSnapshot(this.cache, fresh.items);
    for (const object of diff.deleted) {
      this.cache.delete(objectKey(object));
      this.emit('delete', object);
    }
    for (const object of diff.added) {
      this.cache.set(objectKey(object), object);
      this.emit('add', object);
    }
    for (const { previous, current } of diff.updated) {
      this.cache.set(objectKey(current), current);
      this.emit('update', previous, current);
    }
    this.lastResourceVersion = fresh.metadata.resourceVersion;
    if (!this.syncedOnce) {
      this.syncedOnce = true;
      this.resolveSynced();
    }
  }

  private async watchOnce(): Promise<WatchOutcome> {
    const { namespace, labelSelector, fieldSelector, watchTimeoutSeconds } = this.options;
    const events = watch(this.client, this.resource, {
      namespace,
      labelSelector,
      fieldSelector,
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: watchTimeoutSeconds,
      signal: this.abort.signal,
    });
    let delivered = false;
    for await (const event of events) {
      if (this.abort.signal.aborted) break;
      if (event.type === 'ERROR') {
        if (isExpired(event.object)) return { expired: true, delivered };
        throw errorFromStatus(event.object);
      }
      delivered = true;
      const object = event.object;
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED':
          this.upsert(object);
          break;
        case 'DELETED':
          this.remove(object);
          break;
        case 'BOOKMARK':
          break;
      }
      const version = object.metadata?.resourceVersion;
      if (version !== undefined && version !== '') this.lastResourceVersion = version;
    }
    return { expired: false, delivered };
  }

  private upsert(object: T): void {
    const key = objectKey(object);
    const previous = this.cache.get(key);
    this.cache.set(key, object);
    if (previous === undefined) this.emit('add', object);
    else this.emit('update', previous, object);
  }

  private remove(object: T): void {
    const key = objectKey(object);
    // Nothing was announced for an object we never held, so nothing is retracted.
    if (!this.cache.delete(key)) return;
    this.emit('delete', object);
  }

  private emit<E extends keyof InformerHandlers<T>>(event: E, ...args: Parameters<InformerHandlers<T>[E]>): void {
    for (const handler of this.handlers[event]) {
      try {
        (handler as (...a: Parameters<InformerHandlers<T>[E]>) => void)(...args);
      } catch (error) {
        if (event !== 'error') this.emit('error', error);
      }
    }
  }
}

function errorFromStatus(status: Status): ApiStatusError {
  return new ApiStatusError(status, status.code ?? 500);
}
