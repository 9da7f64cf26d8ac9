import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { HubEvent } from '../watch/hub-event.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { objectKey, keyFor } from './object-key.js';

/** What a controller wants to hear about. Objects are shared with the cache: never mutate them. */
export interface InformerHandler<T> {
  added?(object: T): void;
  updated?(object: T, old: T): void;
  deleted?(object: T): void;
}

export type IndexFunction<T> = (object: T) => readonly string[];

export interface LocalInformerOptions {
  /** Watch one namespace only. */
  namespace?: string;
  /** Where a throwing handler's error goes; the informer itself keeps going. */
  onError?: (error: unknown) => void;
}

/**
 * An informer over the in-process watch hub, the server-side twin of
 * client-go's shared informer: a list at revision R, then the hub's events
 * after R, into a cache that handlers and indexes read.
 *
 * The list, the replay of already-delivered events after R and the
 * subscription happen in one synchronous step, so no event falls between
 * them; events at or below the cache's revision are dropped, because the list
 * may have seen writes the hub has not delivered yet. When the hub falls
 * behind the compacted event log, the informer relists and reports the
 * difference as adds, updates and deletes.
 */
export class LocalInformer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers = new Set<InformerHandler<T>>();
  private readonly indexers = new Map<string, IndexFunction<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private unsubscribe: (() => void) | undefined;
  private unsubscribeResync: (() => void) | undefined;
  private cacheRevision = 0;
  private started = false;
  private synced = false;

  constructor(
    private readonly hub: WatchHub,
    private readonly registry: GenericRegistry<T>,
    private readonly options: LocalInformerOptions = {},
  ) {}

  get resource(): string {
    return this.registry.kind.resource;
  }

  /** The newest revision the cache reflects. */
  get revision(): number {
    return this.cacheRevision;
  }

  /** True once the initial list is in the cache. */
  get hasSynced(): boolean {
    return this.synced;
  }

  get size(): number {
    return this.cache.size;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.relist();
    this.synced = true;
    for (const event of this.hub.replay(this.resource, this.cacheRevision)) this.apply(event);
    this.unsubscribe = this.hub.subscribe(this.resource, (event) => this.apply(event));
    this.unsubscribeResync = this.hub.onResyncNeeded(() => this.relist());
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribeResync?.();
    this.unsubscribe = undefined;
    this.unsubscribeResync = undefined;
    this.started = false;
  }

  /**
   * Registers handlers. On a started informer the objects already cached are
   * replayed as adds, so the order of start() and addHandler() does not matter.
   */
  addHandler(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.started && handler.added) {
      for (const object of this.cache.values()) this.call(() => handler.added!(object));
    }
    return () => {
      this.handlers.delete(handler);
    };
  }

  /**
   * Keeps objects findable by the values `fn` derives from them (client-go's
   * Indexer). Controllers sharing an informer may each ask for the same
   * index; the first definition wins.
   */
  addIndex(name: string, fn: IndexFunction<T>): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const [key, object] of this.cache) this.indexOne(index, fn, key, object);
  }

  get(namespace: string, name: string): T | undefined {
    return this.cache.get(keyFor(this.registry.kind.namespaced ? namespace : '', name));
  }

  getByKey(key: string): T | undefined {
    return this.cache.get(key);
  }

  values(): IterableIterator<T> {
    return this.cache.values();
  }

  /** The keys of the objects whose index `name` yields `value`. */
  keysByIndex(name: string, value: string): ReadonlySet<string> {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index ${name} on ${this.resource}`);
    return index.get(value) ?? EMPTY;
  }

  byIndex(name: string, value: string): T[] {
    const objects: T[] = [];
    for (const key of this.keysByIndex(name, value)) {
      const object = this.cache.get(key);
      if (object) objects.push(object);
    }
    return objects;
  }

  private relist(): void {
    const list = this.registry.list(this.options.namespace);
    const seen = new Set<string>();
    for (const object of list.items) {
      const key = objectKey(object);
      seen.add(key);
      const old = this.cache.get(key);
      if (old && old.metadata.resourceVersion === object.metadata.resourceVersion) continue;
      this.store(key, object, old);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) this.remove(key, old);
    }
    this.cacheRevision = Number(list.resourceVersion);
  }

  private apply(event: HubEvent): void {
    if (event.revision <= this.cacheRevision) return;
    this.cacheRevision = event.revision;
    if (this.options.namespace !== undefined && event.namespace !== this.options.namespace) return;
    const object = event.object as T;
    const key = objectKey(object);
    const old = this.cache.get(key);
    if (event.type === 'DELETED') {
      // Handlers get the final state, whose resourceVersion is the deletion's revision.
      if (old) this.remove(key, old, object);
      return;
    }
    this.store(key, object, old);
  }

  private store(key: string, object: T, old: T | undefined): void {
    this.cache.set(key, object);
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name)!;
      if (old) this.unindexOne(index, fn, key, old);
      this.indexOne(index, fn, key, object);
    }
    for (const handler of this.handlers) {
      if (old) {
        if (handler.updated) this.call(() => handler.updated!(object, old));
      } else if (handler.added) {
        this.call(() => handler.added!(object));
      }
    }
  }

  private remove(key: string, old: T, final: T = old): void {
    this.cache.delete(key);
    for (const [name, fn] of this.indexers) this.unindexOne(this.indexes.get(name)!, fn, key, old);
    for (const handler of this.handlers) {
      if (handler.deleted) this.call(() => handler.deleted!(final));
    }
  }

  private indexOne(index: Map<string, Set<string>>, fn: IndexFunction<T>, key: string, object: T): void {
    for (const value of fn(object)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindexOne(index: Map<string, Set<string>>, fn: IndexFunction<T>, key: string, object: T): void {
    for (const value of fn(object)) {
      const keys = index.get(value);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) index.delete(value);
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      // One failing handler must not stop the hub's delivery to everyone else.
      this.options.onError?.(error);
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();
