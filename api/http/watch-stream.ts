import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { CompactedError } from '../../storage/store.js';
import { GoneError, InternalError, type ApiError } from '../errors.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import { bookmarkFrame } from '../watch/bookmark.js';
import { JSON_REPRESENTATION, type HubEvent, type ObjectRenderer } from '../watch/hub-event.js';
import { frameEvent, unframe } from '../watch/watch-frame.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { watchStart } from '../watch/watch-start.js';
import { transitionFor } from '../watch/watch-transition.js';
import type { ListQuery } from './query-parameters.js';
import { statusBody } from './status.js';

export interface WatchStreamOptions {
  /**
   * Bytes a watcher may leave unsent (Node's buffer, beyond what the kernel
   * socket buffers hold) before the server disconnects it, on top of its
   * initial state until it has read that. A stalled client costs at most this.
   */
  maxBufferedBytes: number;
  /** How often a watcher that allows bookmarks receives one, in ms. */
  bookmarkIntervalMs: number;
  /**
   * Without timeoutSeconds a watch ends after a random time in
   * [minTimeoutSeconds, 2 × minTimeoutSeconds), so clients reconnect spread out.
   */
  minTimeoutSeconds: number;
}

export const DEFAULT_WATCH_STREAM_OPTIONS: WatchStreamOptions = {
  maxBufferedBytes: 4 * 1024 * 1024,
  bookmarkIntervalMs: 60_000,
  minTimeoutSeconds: 1800,
};

export interface WatchRequest<T extends KubeObject> {
  registry: GenericRegistry<T>;
  hub: WatchHub;
  /** undefined: every namespace (and always for cluster-scoped kinds). */
  namespace: string | undefined;
  query: ListQuery;
  options: WatchStreamOptions;
  /**
   * Names the output of `render` (e.g. `table;includeObject=Object`): events
   * are serialized once per representation and shared by the watchers that
   * name the same one. Ignored without `render`: the output is plain JSON.
   */
  representation: string;
  render?: ObjectRenderer;
  /** The server's set of open watches; the stream registers its finisher here. */
  active: Set<() => void>;
}

/**
 * Serves one watch: the initial state or a replay from the event log, then
 * live events from the hub, filtered by namespace and selectors with
 * transitions, until the timeout, the client leaving, or the client falling
 * so far behind that its buffer is full.
 */
export function serveWatch<T extends KubeObject>(request: FastifyRequest, reply: FastifyReply, watch: WatchRequest<T>): void {
  const { registry, hub, query, options } = watch;
  const resource = registry.kind.resource;
  const namespace = registry.kind.namespaced ? watch.namespace : undefined;
  const label = query.labelSelector && !query.labelSelector.isEmpty() ? query.labelSelector : undefined;
  const field = query.fieldSelector && !query.fieldSelector.isEmpty() ? query.fieldSelector : undefined;
  const filtered = label !== undefined || field !== undefined;
  const accepts = (object: unknown): boolean => registry.matches(object as T, label, field);
  const render = watch.render;
  const representation = render ? watch.representation : JSON_REPRESENTATION;
  const start = watchStart(query.resourceVersion, query.sendInitialEvents);

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // client-node's watch() resolves only once it has the headers.
  res.flushHeaders();
  // Once the headers are on the socket (nothing queued in the response, as
  // behind a pipelined request), events go to the socket already framed as
  // chunks: one write per event and watcher instead of four. res.end() still
  // writes the last chunk, in order, through the response.
  const socket = res.socket;
  const direct = socket !== null && res.writableLength === socket.writableLength;

  let closed = false;
  /** Every change with a revision up to this one has been sent or filtered out. */
  let sentThrough = 0;
  // Unbounded while the initial state or replay is written: the client reads that first.
  let allowance = Number.POSITIVE_INFINITY;
  let unsubscribe: (() => void) | undefined;
  let stopResync: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];

  const release = (): void => {
    closed = true;
    watch.active.delete(end);
    unsubscribe?.();
    stopResync?.();
    for (const timer of timers) clearTimeout(timer);
  };
  function end(): void {
    if (closed) return;
    release();
    if (!res.writableEnded) res.end();
  }
  const send = (frame: Buffer): void => {
    if (closed) return;
    if (res.destroyed) {
      release();
      return;
    }
    if (direct) {
      // Batch this tick's events into one writev per socket, as res.write() would.
      if (socket.writableCorked === 0) {
        socket.cork();
        process.nextTick(uncork, socket);
      }
      socket.write(frame);
    } else {
      res.write(unframe(frame));
    }
    if (res.writableLength > allowance) {
      request.log.warn({ resource, buffered: res.writableLength, limit: allowance }, 'watcher too slow, disconnecting');
      release();
      res.destroy();
    }
  };
  const sendError = (error: ApiError): void => {
    send(frameEvent('ERROR', JSON.stringify(statusBody(error))));
    end();
  };
  const sendBookmark = (): void => {
    send(bookmarkFrame(registry.kind.kind, registry.apiVersion, Math.max(sentThrough, hub.deliveredRevision)));
  };
  const renderObject = (object: unknown): string => (render ? render(object) : JSON.stringify(object));

  const deliver = (event: HubEvent): void => {
    if (closed || event.revision <= sentThrough) return;
    sentThrough = event.revision;
    if (namespace !== undefined && event.namespace !== namespace) return;
    let type = event.type;
    if (filtered) {
      const before = type !== 'ADDED' && accepts(type === 'DELETED' ? event.object : event.previous);
      const now = type !== 'DELETED' && accepts(event.object);
      const sent = transitionFor(type, before, now);
      if (sent === undefined) return;
      type = sent;
    }
    try {
      send(event.frame(type, representation, render));
    } catch (error) {
      request.log.error({ err: error, resource, revision: event.revision }, 'cannot encode watch event');
      sendError(new InternalError(`cannot encode ${resource} at resourceVersion ${event.revision}`));
    }
  };

  try {
    begin();
  } catch (error) {
    request.log.error({ err: error, resource }, 'cannot start watch');
    sendError(new InternalError(`cannot start watch of ${resource}`));
  }
  if (closed) return;
  // Once the client has read its initial state or replay, the plain bound applies.
  allowance = options.maxBufferedBytes + res.writableLength;
  if (res.writableLength > 0) (direct ? socket : res).once('drain', () => { allowance = options.maxBufferedBytes; });

  unsubscribe = hub.subscribe(resource, deliver, namespace);
  stopResync = hub.onResyncNeeded(end);
  watch.active.add(end);

  // timeoutSeconds=0 means "not set", as in the Go apiserver.
  const timeoutSeconds = query.timeoutSeconds ? query.timeoutSeconds : options.minTimeoutSeconds * (1 + Math.random());
  timers.push(setTimeout(() => {
    // Kubernetes sends a last bookmark just before the deadline, so the client resumes where it stood.
    if (query.allowWatchBookmarks) sendBookmark();
    end();
  }, timeoutSeconds * 1000));
  if (query.allowWatchBookmarks) timers.push(setInterval(sendBookmark, options.bookmarkIntervalMs));
  res.on('close', release);
  res.on('error', release);

  /** Writes the initial state, or replays the log after the given revision. */
  function begin(): void {
    if (start.kind === 'initial-state') {
      const list = registry.list(namespace, { labelSelector: label, fieldSelector: field });
      for (const item of list.items) send(frameEvent('ADDED', renderObject(item)));
      sentThrough = Number(list.resourceVersion);
      if (start.initialEventsEndBookmark) send(bookmarkFrame(registry.kind.kind, registry.apiVersion, sentThrough, true));
    } else if (start.kind === 'now') {
      sentThrough = hub.currentRevision();
    } else {
      let replayed: HubEvent[];
      try {
        replayed = hub.replay(resource, start.revision);
      } catch (error) {
        if (!(error instanceof CompactedError)) throw error;
        // Kubernetes' wording: the requested revision, then the oldest one a watch may still start from.
        sendError(new GoneError(`too old resource version: ${start.revision} (${error.compacted})`, 'Expired'));
        return;
      }
      sentThrough = start.revision;
      for (const event of replayed) deliver(event);
    }
  }
}

function uncork(socket: Socket): void {
  socket.uncork();
}
