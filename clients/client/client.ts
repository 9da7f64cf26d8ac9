import { Pool, type Dispatcher } from 'undici';
import { ApiStatusError } from './api-status-error.js';
import { withQuery } from './query.js';
import { apiVersionOf, collectionPath, objectPath, type ResourceDescriptor } from './resources.js';
import type { KubeObject, List, Status, WatchEvent } from './types.js';
import { watch, type WatchOptions } from './watch.js';
import type { ClientConnection } from './kubeconfig.js';

export interface KubeClientOptions {
  /** Base URL of the API server, e.g. `http://127.0.0.1:6443`. */
  server: string;
  /** Bring your own undici dispatcher (it is not closed by `close()`). */
  dispatcher?: Dispatcher;
  /** Options for the keep-alive pool the client creates when no dispatcher is given. */
  pool?: Pool.Options;
  userAgent?: string;
  /** Bound on waiting for headers and between body chunks of ordinary requests. Watches are unbounded. */
  requestTimeoutMs?: number;
  /** TLS for the pool the client creates: the CA to trust and a client certificate (PEM). */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  /** Sent as `Authorization: Bearer …` on every request. */
  token?: string;
}

/** Client options from a kubeconfig's connection (see kubeconfig.ts). */
export function clientOptionsFor(connection: ClientConnection): KubeClientOptions {
  const { server, ca, cert, key, token, insecureSkipTlsVerify } = connection;
  const tls = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(insecureSkipTlsVerify ? { rejectUnauthorized: false } : {}) };
  return { server, ...(Object.keys(tls).length > 0 ? { tls } : {}), ...(token ? { token } : {}) };
}

export interface NamespaceOption {
  namespace?: string;
}

export interface ListOptions extends NamespaceOption {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  signal?: AbortSignal;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions extends NamespaceOption {
  type?: PatchType;
  subresource?: 'status';
}

export interface DeleteOptions extends NamespaceOption {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with query, relative to the server's base path. */
  path: string;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface StreamRequest {
  path: string;
  signal?: AbortSignal;
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * A typed client for the skiff API server (any Kubernetes API server, for the
 * kinds it has). One keep-alive connection pool is shared by every call; a
 * watch holds one connection for as long as it streams.
 */
export class KubeClient {
  readonly server: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly userAgent: string;
  private readonly requestTimeoutMs: number;
  private readonly authorization: Record<string, string>;
  private closed = false;

  constructor(options: KubeClientOptions) {
    const url = new URL(options.server);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`server must be an http(s) URL, got ${JSON.stringify(options.server)}`);
    }
    this.server = options.server;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Pool(url.origin, { keepAliveTimeout: 30_000, ...(options.tls ? { connect: options.tls } : {}), ...options.pool });
    this.authorization = options.token ? { authorization: `Bearer ${options.token}` } : {};
    this.userAgent = options.userAgent ?? 'skiff-client/0.1';
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  async create<T extends KubeObject>(resource: ResourceDescriptor<T>, body: T, options: NamespaceOption = {}): Promise<T> {
    const namespace = namespaceFor(resource, options.namespace, body);
    return this.request<T>({ method: 'POST', path: collectionPath(resource, namespace), body: withTypeMeta(resource, body) });
  }

  async get<T extends KubeObject>(resource: ResourceDescriptor<T>, name: string, options: NamespaceOption = {}): Promise<T> {
    return this.request<T>({ method: 'GET', path: objectPath(resource, name, namespaceFor(resource, options.namespace)) });
  }

  /** One page. Without `namespace`, a namespaced resource is listed across all namespaces. */
  async list<T extends KubeObject>(resource: ResourceDescriptor<T>, options: ListOptions = {}): Promise<List<T>> {
    const path = withQuery(collectionPath(resource, resource.namespaced ? options.namespace : undefined), {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
    });
    return this.request<List<T>>({ method: 'GET', path, signal: options.signal });
  }

  /**
   * Every page, following `continue`. The result carries the first page's
   * resourceVersion: pages are served from that snapshot, so a watch started
   * from it misses nothing.
   */
  async listAll<T extends KubeObject>(resource: ResourceDescriptor<T>, options: ListOptions = {}): Promise<List<T>> {
    const first = await this.list(resource, options);
    const items = [...first.items];
    let token = first.metadata.continue;
    while (token !== undefined && token !== '') {
      const page = await this.list(resource, { ...options, continue: token, resourceVersion: undefined });
      items.push(...page.items);
      token = page.metadata.continue;
    }
    return {
      apiVersion: first.apiVersion,
      kind: first.kind,
      metadata: { resourceVersion: first.metadata.resourceVersion },
      items,
    };
  }

  async update<T extends KubeObject>(resource: ResourceDescriptor<T>, body: T, options: NamespaceOption = {}): Promise<T> {
    return this.put(resource, body, options, undefined);
  }

  async updateStatus<T extends KubeObject>(resource: ResourceDescriptor<T>, body: T, options: NamespaceOption = {}): Promise<T> {
    return this.put(resource, body, options, 'status');
  }

  /**
   * `merge` takes an RFC 7386 object, `json` an RFC 6902 operation array,
   * `strategic` a strategic-merge object (what kubectl sends).
   */
  async patch<T extends KubeObject>(
    resource: ResourceDescriptor<T>,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    const type = options.type ?? 'merge';
    if (type === 'json' && !Array.isArray(patch)) {
      throw new TypeError('a json patch must be an array of RFC 6902 operations');
    }
    return this.request<T>({
      method: 'PATCH',
      path: objectPath(resource, name, namespaceFor(resource, options.namespace), options.subresource),
      body: patch,
      contentType: patchContentTypes[type],
    });
  }

  /** The server answers with the deleted object, or a Status for kinds that finish deletion later. */
  async delete<T extends KubeObject>(
    resource: ResourceDescriptor<T>,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T | Status> {
    const { namespace, ...deleteOptions } = options;
    const hasBody = Object.values(deleteOptions).some((value) => value !== undefined);
    return this.request<T | Status>({
      method: 'DELETE',
      path: objectPath(resource, name, namespaceFor(resource, namespace)),
      body: hasBody ? { kind: 'DeleteOptions', apiVersion: 'v1', ...deleteOptions } : undefined,
    });
  }

  /** See `watch()` in watch.ts. */
  watch<T extends KubeObject>(resource: ResourceDescriptor<T>, options: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    return watch(this, resource, options);
  }

  /** A JSON request to any path (subresources such as `pods/x/binding`). Non-2xx throws ApiStatusError. */
  async request<R>(req: RawRequest): Promise<R> {
    const hasBody = req.body !== undefined;
    const response = await this.dispatcher.request({
      origin: this.origin,
      path: this.basePath + req.path,
      method: req.method,
      headers: {
        accept: 'application/json',
        'user-agent': this.userAgent,
        ...this.authorization,
        ...(hasBody ? { 'content-type': req.contentType ?? 'application/json' } : {}),
      },
      body: hasBody ? JSON.stringify(req.body) : undefined,
      signal: req.signal,
      headersTimeout: this.requestTimeoutMs,
      bodyTimeout: this.requestTimeoutMs,
    });
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw ApiStatusError.fromBody(response.statusCode, text);
    }
    return (text === '' ? undefined : JSON.parse(text)) as R;
  }

  /**
   * Opens a long-lived GET and hands back the body stream once a 2xx status
   * arrived. No body timeout: a quiet watch is not a dead one.
   */
  async openStream(req: StreamRequest): Promise<Dispatcher.ResponseData['body']> {
    const response = await this.dispatcher.request({
      origin: this.origin,
      path: this.basePath + req.path,
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': this.userAgent, ...this.authorization },
      signal: req.signal,
      headersTimeout: this.requestTimeoutMs,
      bodyTimeout: 0,
    });
    if (response.statusCode < 200 || response.statusCode > 299) {
      const text = await response.body.text();
      throw ApiStatusError.fromBody(response.statusCode, text);
    }
    return response.body;
  }

  /** Closes the connection pool (open watches end). Idempotent. */
  async close(): Promise<void> {
    if (!this.ownsDispatcher || this.closed) return;
    this.closed = true;
    // destroy rather than close: close() would wait for open watch streams to end.
    await this.dispatcher.destroy();
  }

  private async put<T extends KubeObject>(
    resource: ResourceDescriptor<T>,
    body: T,
    options: NamespaceOption,
    subresource: 'status' | undefined,
  ): Promise<T> {
    const name = body.metadata.name;
    if (name === undefined || name === '') throw new TypeError('metadata.name is required to update an object');
    const namespace = namespaceFor(resource, options.namespace, body);
    return this.request<T>({
      method: 'PUT',
      path: objectPath(resource, name, namespace, subresource),
      body: withTypeMeta(resource, body),
    });
  }
}

// kubectl's default: a namespaced object with no namespace goes to "default".
function namespaceFor(resource: ResourceDescriptor, explicit: string | undefined, body?: KubeObject): string | undefined {
  if (!resource.namespaced) return undefined;
  return explicit ?? body?.metadata.namespace ?? 'default';
}

function withTypeMeta<T extends KubeObject>(resource: ResourceDescriptor<T>, body: T): T {
  return { ...body, apiVersion: body.apiVersion ?? apiVersionOf(resource), kind: body.kind ?? resource.kind };
}
