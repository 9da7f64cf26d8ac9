import type { InformerHandlers } from '../../../../clients/client/informer.js';
import type { KubeObject } from '../../../../clients/client/types.js';
import type { ObjectSource } from '../../../../clients/agent/object-source.js';

/** An informer double: the test adds, updates and deletes objects and decides when it has synced. */
export class FakeSource<T extends KubeObject> implements ObjectSource<T> {
  private readonly objects = new Map<string, T>();
  private readonly handlers = { add: new Set<(o: T) => void>(), update: new Set<(p: T, c: T) => void>(), delete: new Set<(o: T) => void>(), error: new Set<(e: unknown) => void>() };
  private markSynced!: () => void;
  private readonly synced = new Promise<void>((resolve) => (this.markSynced = resolve));
  started = false;
  stopped = false;

  list(): T[] {
    return [...this.objects.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }

  on<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): this {
    (this.handlers[event] as Set<InformerHandlers<T>[E]>).add(handler);
    return this;
  }

  start(): this {
    this.started = true;
    return this;
  }

  waitForSync(): Promise<void> {
    return this.synced;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  sync(): void {
    this.markSynced();
  }

  upsert(object: T): void {
    const key = `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
    const previous = this.objects.get(key);
    this.objects.set(key, object);
    if (previous === undefined) for (const h of this.handlers.add) h(object);
    else for (const h of this.handlers.update) h(previous, object);
  }

  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const previous = this.objects.get(key);
    if (previous === undefined) return;
    this.objects.delete(key);
    for (const h of this.handlers.delete) h(previous);
  }
}
