import type { FastifyReply, FastifyRequest } from 'fastify';
import { CompactedError, type StoreEventType } from '../../storage/store.js';
import { GoneError } from '../errors.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { HubEvent } from '../watch/hub-event.js';
import type { WatchHub } from '../watch/watch-hub.js';
import type { ListQuery } from './list-query.js';
import { statusBody } from './status.js';

export interface WatchStreamOptions {
  /**
   * Bytes a watcher may leave unread in its socket buffer before the server
   * disconnects it; a stalled client costs at most this much memory.
   */
  maxBufferedBytes: number;
  /** How often a watcher that allows bookmarks receives one, in ms. */
  bookmarkIntervalMs: number;
  /**
   * Without timeoutSeconds a watch ends after a random time in
   * [minTimeoutSeconds, 2 × minTimeoutSeconds], so clients reconnect spread out.
   */
  minTimeoutSeconds: number;
}

export const DEFAULT_WATCH_STREAM_OPTIONS: WatchStreamOptions = {
  maxBufferedBytes: 4 * 1024 * 1024,
  bookmarkIntervalMs: 60_000,
  minTimeoutSeconds: 1800,
};

/** Renders an object in the watcher's representation (a Table row, for kubectl). */
export type EventRenderer = (object: unknown, event: HubEvent | undefined) => string;

export interface WatchRequest<T extends KubeObject> {
  registry: GenericRegistry<T>;
  hub: WatchHub;
  namespace: string | undefined;
  query: ListQuery;
  options: WatchStreamOptions;
  representation: string;
  render?: EventRenderer;
  /** The server's set of open watches; the stream registers its finisher here. */
  active: Set<() => void>;
}

/**
 * Serves one watch: initial state or replay, then live events from the hub,
 * filtered by namespace and selectors with transitions, until the timeout, the
 * client leaving, or the client falling too far behind.
 */
export function serveWatch<T extends KubeObject>(request: FastifyRequest, reply: FastifyReply, watch: WatchRequest<T>): void {
  const { registry, hub, namespace, query, options } = watch;
  const resource = registry.kind.resource;
  const label = query.labelSelector && !query.labelSelector.isEmpty() ? query.labelSelector : undefined;
  const field = query.fieldSelector && !query.fieldSelector.isEmpty() ? query.fieldSelector : undefined;
  const filtered = label !== undefined || field !== undefined;
  const namespaced = registry.kind.namespaced && namespace !== undefined;
  const accepts = (object: unknown): boolean => registry.matches(object as T, label, field);
  const render = watch.render;

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let closed = false;
  let from = 0;
  let unsubscribe: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];

  const finish = (): void => {
    watch.active.delete(finish);
    if (closed) return;
    closed = true;
    unsubscribe?.();
    for (const timer of timers) clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const write = (line: string): void => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > options.maxBufferedBytes) {
      request.log.warn({ resource, buffered: res.writableLength }, 'watcher too slow, disconnecting');
      closed = true;
      watch.active.delete(finish);
      unsubscribe?.();
      for (const timer of timers) clearTimeout(timer);
      res.destroy();
    }
  };
  const renderObject = (object: unknown, event?: HubEvent): string => (render ? render(object, event) : JSON.stringify(object));
  const sendError = (error: GoneError): void => {
    write(`{"type":"ERROR","object":${JSON.stringify(statusBody(error))}}\n`);
    finish();
  };
  const bookmark = (revision: number, annotations?: Record<string, string>): string => {
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (annotations) metadata.annotations = annotations;
    return `{"type":"BOOKMARK","object":${JSON.stringify({ kind: registry.kind.kind, apiVersion: registry.apiVersion, metadata })}}\n`;
  };

  const deliver = (event: HubEvent): void => {
    if (event.revision <= from || closed) return;
    from = event.revision;
    if (namespaced && event.namespace !== namespace) return;
    let type: StoreEventType | undefined = event.type;
    if (filtered) {
      if (event.type === 'ADDED') {
        type = accepts(event.object) ? 'ADDED' : undefined;
      } else if (event.type === 'DELETED') {
        type = accepts(event.object) || (event.previous !== undefined && accepts(event.previous)) ? 'DELETED' : undefined;
      } else {
        const before = event.previous !== undefined && accepts(event.previous);
        const now = accepts(event.object);
        type = before && now ? 'MODIFIED' : before ? 'DELETED' : now ? 'ADDED' : undefined;
      }
    }
    if (type) write(event.line(type, watch.representation, render ? (object, e) => render(object, e) : undefined));
  };

  const initial = query.sendInitialEvents === true || query.resourceVersion === undefined || query.resourceVersion === '0';
  if (initial) {
    const list = registry.list(namespace, { labelSelector: label, fieldSelector: field });
    for (const item of list.items) write(`{"type":"ADDED","object":${renderObject(item)}}\n`);
    from = Number(list.resourceVersion);
    if (query.sendInitialEvents) write(bookmark(from, { 'k8s.io/initial-events-end': 'true' }));
  } else {
    from = Number(query.resourceVersion);
    let replayed: HubEvent[];
    try {
      replayed = hub.replay(resource, from);
    } catch (error) {
      if (error instanceof CompactedError) {
        sendError(new GoneError(`too old resource version: ${from} (${error.compacted + 1})`, 'Expired'));
        return;
      }
      throw error;
    }
    for (const event of replayed) deliver(event);
  }
  if (closed) return;
  unsubscribe = hub.subscribe(resource, deliver);
  watch.active.add(finish);

  const timeoutSeconds = query.timeoutSeconds ?? options.minTimeoutSeconds * (1 + Math.random());
  timers.push(setTimeout(finish, timeoutSeconds * 1000));
  if (query.allowWatchBookmarks) {
    const tick = (): void => {
      write(bookmark(Math.max(from, hub.deliveredRevision)));
      if (!closed) timers.push(setTimeout(tick, options.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, options.bookmarkIntervalMs));
  }
  request.raw.on('close', finish);
  res.on('close', finish);
  res.on('error', finish);
}
