import type { KubeClient } from './client.js';
import { NdjsonDecoder } from './ndjson.js';
import { withQuery } from './query.js';
import { collectionPath, type ResourceDescriptor } from './resources.js';
import type { KubeObject, WatchEvent, WatchEventType } from './types.js';

export interface WatchOptions {
  /** Omit to watch a namespaced resource across all namespaces. */
  namespace?: string;
  /** Events strictly after this revision. Empty or "0" asks the server to replay the current state as ADDED. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Aborting ends the iteration quietly, without an error. */
  signal?: AbortSignal;
}

export class WatchProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchProtocolError';
  }
}

const eventTypes: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/**
 * Streams watch events as the server sends them. The iteration ends when the
 * server ends the stream (after `timeoutSeconds`, after an ERROR event, or on
 * shutdown); a dropped connection throws; a non-2xx answer throws
 * ApiStatusError before the first event. ERROR events are yielded, not
 * thrown: what to do about a 410 is the caller's decision.
 */
export async function* watch<T extends KubeObject>(
  client: KubeClient,
  resource: ResourceDescriptor<T>,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const { signal } = options;
  if (signal?.aborted) return;
  const path = withQuery(collectionPath(resource, resource.namespaced ? options.namespace : undefined), {
    watch: 'true',
    resourceVersion: options.resourceVersion,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    allowWatchBookmarks: options.allowWatchBookmarks === true ? 'true' : undefined,
    timeoutSeconds: options.timeoutSeconds,
  });

  let body: Awaited<ReturnType<KubeClient['openStream']>>;
  try {
    body = await client.openStream({ path, signal });
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }

  const decoder = new NdjsonDecoder();
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (const value of decoder.push(chunk)) yield toWatchEvent<T>(value);
    }
    for (const value of decoder.end()) yield toWatchEvent<T>(value);
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  } finally {
    if (!body.destroyed) body.destroy();
  }
}

function toWatchEvent<T>(value: unknown): WatchEvent<T> {
  if (typeof value !== 'object' || value === null) {
    throw new WatchProtocolError(`watch event is not an object: ${JSON.stringify(value)}`);
  }
  const { type, object } = value as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !eventTypes.has(type)) {
    throw new WatchProtocolError(`unknown watch event type ${JSON.stringify(type)}`);
  }
  if (typeof object !== 'object' || object === null) {
    throw new WatchProtocolError(`watch event ${type} carries no object`);
  }
  return value as WatchEvent<T>;
}
