import type { SkiffServer } from '../../../api/server.js';

// HTTP helpers and fixtures for the allocation tests, which drive ClusterIP,
// NodePort, podCIDR and Pod IP allocation through the real server
// (test/support/test-server.ts).

/** The fields of a Status body; a successful reply carries the object instead. */
export interface Failure {
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ reason: string; field: string; message: string }> };
}

export interface Reply<T> {
  status: number;
  body: T & Failure;
}

export interface Api {
  get<T = unknown>(path: string): Promise<Reply<T>>;
  post<T = unknown>(path: string, body: unknown): Promise<Reply<T>>;
  put<T = unknown>(path: string, body: unknown): Promise<Reply<T>>;
  patch<T = unknown>(path: string, body: unknown, contentType?: string): Promise<Reply<T>>;
  delete<T = unknown>(path: string): Promise<Reply<T>>;
}

export function api(url: string): Api {
  const call = async <T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply<T>> => {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T & Failure };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body, contentType = 'application/merge-patch+json') => call('PATCH', path, body, contentType),
    delete: (path) => call('DELETE', path),
  };
}

export const SERVICES = '/api/v1/namespaces/default/services';
export const PODS = '/api/v1/namespaces/default/pods';
export const NODES = '/api/v1/nodes';

export interface PortSpec {
  name?: string;
  port: number;
  protocol?: string;
  nodePort?: number;
}

export function service(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }], ...spec },
  };
}

export function node(name: string, spec: Record<string, unknown> = {}, internalIP?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec,
    ...(internalIP ? { status: { addresses: [{ type: 'InternalIP', address: internalIP }] } } : {}),
  };
}

export function pod(name: string, nodeName?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'main', image: 'nginx' }] },
  };
}

/** Every value the allocation table holds in `pool`, with its owner's name. */
export function allocationsIn(server: SkiffServer, pool: string): Array<[number, string]> {
  return server.store.allocations(pool).map((a) => [a.value, a.owner.name]);
}
