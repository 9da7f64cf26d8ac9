import assert from 'node:assert/strict';
import request from 'supertest';

/** Objects as the wire carries them; tests read fields loosely and assert on them. */
export interface WireObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface WireList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string };
  items: WireObject[];
}

export interface WireStatus {
  kind: string;
  apiVersion: string;
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: { name?: string; kind?: string; causes?: Array<{ reason: string; field: string; message: string }> };
}

/** A per-request bound, so a hanging handler fails its test instead of the whole run. */
export const REQUEST_TIMEOUT_MS = 5000;

export const podsPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/pods`;
export const servicesPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/services`;
export const NAMESPACES = '/api/v1/namespaces';
export const NODES = '/api/v1/nodes';

export interface PodOptions {
  labels?: Record<string, string>;
  /** Defaults to BOUND_NODE; null leaves the pod for the scheduler. */
  nodeName?: string | null;
  containers?: Array<Record<string, unknown>>;
}

/**
 * Test pods are bound to this node (which need not exist) when created, so the
 * in-process scheduler never writes to them and every resourceVersion a test
 * sees comes from its own writes.
 */
export const BOUND_NODE = 'bound-node';

export function podBody(name: string, options: PodOptions = {}): WireObject {
  const nodeName = options.nodeName === undefined ? BOUND_NODE : options.nodeName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(options.labels ? { labels: options.labels } : {}) },
    spec: {
      ...(nodeName !== null ? { nodeName } : {}),
      containers: options.containers ?? [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }],
    },
  };
}

export function serviceBody(name: string, ports: Array<Record<string, unknown>> = [{ name: 'http', port: 80, targetPort: 8080 }], selector: Record<string, string> = { app: name }): WireObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports } };
}

export function namespaceBody(name: string, labels?: Record<string, string>): WireObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}

export function nodeBody(name: string, labels?: Record<string, string>): WireObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, ...(labels ? { labels } : {}) }, spec: {} };
}

/** POSTs and insists on 201, returning the stored object. */
export async function create(url: string, path: string, body: unknown): Promise<WireObject> {
  const response = await request(url).post(path).timeout(REQUEST_TIMEOUT_MS).send(body as object);
  assert.equal(response.status, 201, `POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as WireObject;
}

export async function get(url: string, path: string): Promise<WireObject> {
  const response = await request(url).get(path).timeout(REQUEST_TIMEOUT_MS);
  assert.equal(response.status, 200, `GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as WireObject;
}

export async function list(url: string, path: string, query: Record<string, string | number> = {}): Promise<WireList> {
  const response = await request(url).get(path).query(query).timeout(REQUEST_TIMEOUT_MS);
  assert.equal(response.status, 200, `GET ${path}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as WireList;
}

export async function names(url: string, path: string, query: Record<string, string | number> = {}): Promise<string[]> {
  return (await list(url, path, query)).items.map((item) => item.metadata.name ?? '');
}

/** Asserts the body is a Kubernetes Status failure with this code and reason. */
export function assertStatus(body: unknown, code: number, reason: string): WireStatus {
  const status = body as WireStatus;
  assert.equal(status.kind, 'Status', `not a Status: ${JSON.stringify(body)}`);
  assert.equal(status.apiVersion, 'v1');
  assert.equal(status.status, 'Failure');
  assert.equal(status.code, code, `code: ${JSON.stringify(body)}`);
  assert.equal(status.reason, reason, `reason: ${JSON.stringify(body)}`);
  assert.equal(typeof status.message, 'string');
  return status;
}

export const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Kubernetes metav1.Time: RFC 3339 in UTC, whole seconds. */
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const RESOURCE_VERSION = /^[1-9]\d*$/;

/** The server-set metadata every created object carries. */
export function assertCreatedMetadata(object: WireObject): void {
  assert.match(object.metadata.uid ?? '', UID);
  assert.match(object.metadata.creationTimestamp ?? '', TIMESTAMP);
  assert.match(object.metadata.resourceVersion ?? '', RESOURCE_VERSION);
  assert.equal(object.metadata.generation, 1);
}
